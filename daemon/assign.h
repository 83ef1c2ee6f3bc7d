#ifndef ASSIGN_H
#define ASSIGN_H

#include <stddef.h>

/*
 * The "responsible units" cell of a plan row, read into lead and supporting
 * units: "X chủ trì, phối hợp với Y", "X; Y; Z" (each leads), groups such
 * as "UBND các xã, thị trấn", "(qua Phòng Nội vụ)" naming where a report
 * goes.  Names are
 * matched through a lookup the caller supplies (the unit directory).
 */

/*
 * Returns the unit or group code for a phrase as written (the lookup folds
 * it, e.g. units_lookup), or NULL; sets *is_group.
 */
typedef const char *(*assign_lookup)(void *, const char *, int *);

enum assign_role {
	ASSIGN_LEAD,
	ASSIGN_SUPPORT,
	ASSIGN_REPORT_TO	/* "(qua Phòng Nội vụ)": receives, does not do */
};

struct assign_unit {
	char			*phrase;	/* as written */
	char			*code;		/* matched code, or NULL */
	int			 is_group;
	enum assign_role	 role;
};

struct assign_list {
	struct assign_unit	*v;
	size_t			 n;
};

/*
 * Splits a units cell into its bullets; " - " inside a unit's name
 * ("Trung tâm Văn hóa - Thông tin - Thể thao") is not a bullet when the
 * lookup knows the joined name.  Caller frees with plan_bullets_free().
 */
size_t	 assign_split_bullets(const char *, assign_lookup, void *, char ***);
/*
 * Reads one bullet's text into units appended to the list (start it
 * zeroed): every unit before the first role word ("chủ trì", "phối hợp
 * (với)", "tham mưu", "giúp") leads, so a bullet without role words makes
 * each unit it names lead its own share; the units after a role word
 * support (none leads if the bullet starts with "phối hợp"); "(qua X)" is
 * ASSIGN_REPORT_TO.  Commas inside a collective ("Các phòng, ban, ngành")
 * never split it.  An unknown phrase is kept whole with code NULL.
 * Returns how many added phrases matched nothing; never fails.
 */
int	 assign_parse(const char *, assign_lookup, void *, struct assign_list *);
/* The same for a cell of a support column: every unit it names supports. */
int	 assign_parse_support(const char *, assign_lookup, void *,
	    struct assign_list *);
/* Frees the units and empties the list; NULL is fine. */
void	 assign_list_clear(struct assign_list *);
const char *assign_role_name(enum assign_role);	/* "lead", "support", ... */

#endif
