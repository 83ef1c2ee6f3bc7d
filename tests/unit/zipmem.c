/*
 * Archives built in memory (see zipmem.h).  Not a test itself:
 * tests/CMakeLists.txt links it into each test_*.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "xmalloc.h"
#include "zipmem.h"

char *
zipmem_build(const struct zipmem_entry *e, size_t n, size_t *len)
{
	zip_error_t	 err;
	zip_source_t	*src, *part;
	zip_stat_t	 st;
	zip_t		*za;
	zip_int64_t	 idx;
	char		*out;
	size_t		 i;

	zip_error_init(&err);
	assert_non_null(src = zip_source_buffer_create(NULL, 0, 0, &err));
	zip_source_keep(src);
	assert_non_null(za = zip_open_from_source(src, ZIP_TRUNCATE, &err));
	for (i = 0; i < n; i++) {
		part = zip_source_buffer(za, e[i].data, e[i].len != 0 ?
		    e[i].len : strlen(e[i].data), 0);
		assert_non_null(part);
		idx = zip_file_add(za, e[i].name, part, 0);
		assert_true(idx >= 0);
		zip_set_file_compression(za, (zip_uint64_t)idx, e[i].deflate ?
		    ZIP_CM_DEFLATE : ZIP_CM_STORE, 9);
		if (e[i].password != NULL)
			assert_int_equal(zip_file_set_encryption(za,
			    (zip_uint64_t)idx, ZIP_EM_AES_256, e[i].password),
			    0);
	}
	assert_int_equal(zip_close(za), 0);
	zip_stat_init(&st);
	assert_int_equal(zip_source_stat(src, &st), 0);
	assert_int_equal(zip_source_open(src), 0);
	out = xmalloc(st.size);
	assert_int_equal(zip_source_read(src, out, st.size), st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&err);
	*len = st.size;
	return (out);
}
