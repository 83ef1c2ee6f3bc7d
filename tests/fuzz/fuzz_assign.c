/*
 * Fuzzes the units cell reader: arbitrary bytes as a cell, split into
 * bullets, every bullet read into units against a small fixed directory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "fold.h"
#include "utf8.h"
#include "plan.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The fixed directory, folded names. */
static const struct {
	const char	*folded;
	const char	*code;
	int		 is_group;
} fuzz_dir[] = {
	{ "phong noi vu", "noivu", 0 },
	{ "van phong hdnd ubnd", "vp", 0 },
	{ "phong tai chinh ke hoach", "tckh", 0 },
	{ "trung tam van hoa thong tin the thao", "ttvhtt", 0 },
	{ "ubnd cac xa thi tran", "xa", 1 },
	{ "cac phong ban chuyen mon", "phongban", 1 },
	{ "cac co quan don vi co lien quan", "lienquan", 1 },
	{ "a", "a", 0 },
	{ "b", "b", 1 }
};

/* Looks a phrase up in the fixed directory. */
static const char *
fuzz_lookup(void *arg, const char *phrase, int *is_group)
{
	char	*folded = fold_name(phrase);
	size_t	 i;

	for (i = 0; i < sizeof fuzz_dir / sizeof fuzz_dir[0]; i++) {
		if (strcmp(folded, fuzz_dir[i].folded) == 0) {
			free(folded);
			*is_group = fuzz_dir[i].is_group;
			return (fuzz_dir[i].code);
		}
	}
	free(folded);
	return (NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct assign_list	 list = { NULL, 0 };
	char			*cell, **items;
	size_t			 n, i, j;

	if (size > 64 * 1024)
		return (0);
	cell = xstrndup((const char *)data, size);
	(void)utf8_text_valid((const char *)data, size);
	free(fold_name(cell));
	n = assign_split_bullets(cell, fuzz_lookup, NULL, &items);
	for (i = 0; i < n; i++) {
		assign_parse(items[i], fuzz_lookup, NULL, &list);
		for (j = 0; j < list.n; j++) {
			if (list.v[j].phrase == NULL)
				abort();
			(void)assign_role_name(list.v[j].role);
		}
		assign_list_clear(&list);
		free(items[i]);
	}
	free(items);
	free(cell);
	return (0);
}
