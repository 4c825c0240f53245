/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_obj_check_autotest: the ELF checks made before libbpf opens an
 * object (lib/xdp_compat/xdp_obj_check.c). Each case mutates a real test
 * object (xdp_misaligned_v3.o) by hand in one field, the way a fuzzer or
 * a broken tool would, and the object must be refused at open with an
 * error naming the section and field, the DPDK heap as it was. Without
 * its check each of these objects crashes libbpf 1.1 (Debian 12's), has
 * it write past a heap block, is accepted as something it is not, or is
 * refused for a reason that names something else (see each case). The
 * two regression inputs of the fuzzers that led to these checks are
 * refused too, and the unmutated object loads.
 */

#include <elf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

#define OBJ	"xdp_misaligned"

/* The object every case starts from (orig) and its mutated copy. */
static uint8_t *orig, *buf;
static size_t len;
static enum rte_xdp_verify_policy verify = RTE_XDP_VERIFY_BUILTIN;

static void
drop_object(void)
{
	free(orig);
	free(buf);
	orig = buf = NULL;
	len = 0;
}

/* Read build/test/bpf/<name>_v3.o into orig and buf. */
static int
use_object(const char *name)
{
	FILE *f = fopen(test_bpf_obj_cpu(name, "v3"), "rb");
	long n;
	int ret = -1;

	drop_object();
	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		len = n;
		orig = malloc(len);
		buf = malloc(len);
		if (orig != NULL && buf != NULL &&
		    fread(orig, 1, len, f) == len) {
			memcpy(buf, orig, len);
			ret = 0;
		}
	}
	fclose(f);
	return ret;
}

static int
check_setup(void)
{
	if (access(test_bpf_obj_cpu(OBJ, "v3"), R_OK) != 0)
		TEST_SKIP("test BPF objects not built (clang missing?)");
	return use_object(OBJ) == 0 ? TEST_SUCCESS : TEST_FAILED;
}

static void
check_teardown(void)
{
	drop_object();
}

/* Headers read and written with memcpy: any offset the file gives. */
static Elf64_Ehdr
ehdr(void)
{
	Elf64_Ehdr e;

	memcpy(&e, buf, sizeof(e));
	return e;
}

static Elf64_Shdr
shdr(unsigned int i)
{
	Elf64_Shdr s;

	memcpy(&s, buf + ehdr().e_shoff + (size_t)i * sizeof(s), sizeof(s));
	return s;
}

static void
set_shdr(unsigned int i, const Elf64_Shdr *s)
{
	memcpy(buf + ehdr().e_shoff + (size_t)i * sizeof(*s), s, sizeof(*s));
}

/* Index of the section named name (in the unmutated object), 0: none. */
static unsigned int
sec_idx(const char *name)
{
	Elf64_Shdr names = shdr(ehdr().e_shstrndx);
	unsigned int i;

	for (i = 1; i < ehdr().e_shnum; i++)
		if (strcmp((const char *)buf + names.sh_offset +
				shdr(i).sh_name, name) == 0)
			return i;
	return 0;
}

static unsigned int
sec_of_type(uint32_t type)
{
	unsigned int i;

	for (i = 1; i < ehdr().e_shnum; i++)
		if (shdr(i).sh_type == type)
			return i;
	return 0;
}

static Elf64_Sym
sym(unsigned int k)
{
	Elf64_Sym s;

	memcpy(&s, buf + shdr(sec_of_type(SHT_SYMTAB)).sh_offset +
		(size_t)k * sizeof(s), sizeof(s));
	return s;
}

static void
set_sym(unsigned int k, const Elf64_Sym *s)
{
	memcpy(buf + shdr(sec_of_type(SHT_SYMTAB)).sh_offset +
		(size_t)k * sizeof(*s), s, sizeof(*s));
}

/* The symbol named name, or -1. */
static int
sym_idx(const char *name)
{
	Elf64_Shdr st = shdr(sec_of_type(SHT_SYMTAB));
	Elf64_Shdr str = shdr(st.sh_link);
	unsigned int k;

	for (k = 0; k < st.sh_size / sizeof(Elf64_Sym); k++)
		if (strcmp((const char *)buf + str.sh_offset + sym(k).st_name,
				name) == 0)
			return k;
	return -1;
}

/*
 * File offset of the BTF type named name of kind kind in buf (0: none),
 * and *int_id the id of an INT type in it.
 */
static size_t
btf_type_off(const char *name, int kind, uint32_t *int_id)
{
	Elf64_Shdr bs = shdr(sec_idx(".BTF"));
	struct btf *btf = btf__new(buf + bs.sh_offset, bs.sh_size);
	const struct btf_type *t;
	size_t off = 0;
	uint32_t raw_size, i;
	int id;

	if (btf == NULL)
		return 0;
	id = btf__find_by_name_kind(btf, name, kind);
	t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	if (t != NULL)
		off = bs.sh_offset + (size_t)((const uint8_t *)t -
			(const uint8_t *)btf__raw_data(btf, &raw_size));
	for (i = 1; int_id != NULL && i < btf__type_cnt(btf); i++)
		if (btf_is_int(btf__type_by_id(btf, i)))
			*int_id = i;
	btf__free(btf);
	return off;
}

static int
open_buf(char *err, size_t err_len)
{
	struct rte_xdp_obj_opts o = {
		.verify = verify, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_obj *obj;
	int ret;

	obj = rte_xdp_obj_open_mem("xdp_obj_check", buf, len, &o, err,
		err_len);
	memcpy(buf, orig, len);		/* the next case mutates a fresh copy */
	ret = obj != NULL;
	if (obj != NULL && rte_xdp_obj_load(obj, err, err_len) != 0)
		ret = 2;	/* opened, refused at load */
	rte_xdp_obj_close(obj);
	return ret;
}

/* The mutated buf refused at open, naming what; the heap as it was. */
static int
expect_refused(const char *fmt, ...)
{
	size_t before = heap_bytes();
	char err[1024] = "", what[256];
	int opened = open_buf(err, sizeof(err));
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);

	TEST_ASSERT_EQUAL(opened, 0, "mutated object refused (must say \"%s\")",
		what);
	printf("refused: %s\n", err);
	TEST_ASSERT(strstr(err, what) != NULL, "the error says \"%s\"", what);
	TEST_ASSERT_EQUAL(heap_bytes(), before, "DPDK heap");
	return TEST_SUCCESS;
}

static int
test_unmutated(void)
{
	char err[1024] = "";

	TEST_ASSERT_EQUAL(open_buf(err, sizeof(err)), 1, "%s", err);
	return TEST_SUCCESS;
}

/*
 * A relocation section whose sh_info is 0, section 0 flagged executable
 * with contents past the file: libbpf takes section 0's Elf_Data (NULL)
 * as the target's and reads its d_size (SIGSEGV at 0x10 in
 * bpf_object__open(), the fuzz_obj_loader find).
 */
static int
test_rel_info_zero(void)
{
	unsigned int r = sec_idx(".relxdp");
	Elf64_Shdr s = shdr(r), z = shdr(0);

	TEST_ASSERT(r != 0, "relocation section");
	s.sh_info = 0;
	set_shdr(r, &s);
	z.sh_flags = SHF_EXECINSTR;
	z.sh_offset = 0x10;
	z.sh_size = 0x100000019;
	set_shdr(0, &z);
	return expect_refused(".relxdp [%u]: sh_info 0 is not a section to relocate",
		r);
}

/*
 * The same through a real section: .debug_loclists typed SHT_HASH with
 * a size that is not whole words (libelf cannot convert it), flagged
 * executable, named by the relocation section (libbpf skips the
 * unreadable section itself as DWARF, then crashes the same way).
 */
static int
test_rel_target_unreadable(void)
{
	unsigned int r = sec_idx(".relxdp"), t = sec_idx(".debug_loclists");
	Elf64_Shdr s = shdr(r), d = shdr(t);

	TEST_ASSERT(r != 0 && t != 0, "sections");
	d.sh_type = SHT_HASH;
	d.sh_flags = SHF_ALLOC | SHF_EXECINSTR;
	d.sh_size = (d.sh_size & ~(uint64_t)3) - 2;
	set_shdr(t, &d);
	s.sh_info = t;
	set_shdr(r, &s);
	return expect_refused(".debug_loclists [%u]: its contents cannot be read",
		t);
}

/* sh_link of a relocation section out of range: read against the symbol
 * table all the same and run (libbpf ignores the field). */
static int
test_rel_link(void)
{
	unsigned int r = sec_idx(".relxdp");
	Elf64_Shdr s = shdr(r);

	s.sh_link = 385879808;	/* the fuzz input's */
	set_shdr(r, &s);
	return expect_refused(
		".relxdp [%u]: sh_link 385879808 is not the symbol table", r);
}

/* The symbol table's strings in an executable section (libbpf: "BPF
 * object format invalid", nothing named). */
static int
test_symtab_link(void)
{
	unsigned int t = sec_of_type(SHT_SYMTAB);
	Elf64_Shdr s = shdr(t);

	s.sh_link = sec_idx("xdp");
	set_shdr(t, &s);
	return expect_refused(".symtab [%u]: sh_link %u is not a string table",
		t, sec_idx("xdp"));
}

/* Section names in an executable section (libbpf: "BPF object format
 * invalid"; our own parse had every name empty). */
static int
test_shstrndx(void)
{
	Elf64_Ehdr e = ehdr();

	e.e_shstrndx = sec_idx("xdp");
	memcpy(buf, &e, sizeof(e));
	return expect_refused("ELF header: e_shstrndx %u is not a string table",
		e.e_shstrndx);
}

/* A map symbol's name past the strings (libbpf: "No such file or
 * directory"). */
static int
test_sym_name(void)
{
	int k = sym_idx("cfg");
	Elf64_Sym s;

	TEST_ASSERT(k > 0, "symbol");
	s = sym(k);
	s.st_name = 0x7fffff;
	set_sym(k, &s);
	return expect_refused("symbol %d: st_name 8388607 is not in the string table",
		k);
}

/* The program's symbol in no section (libbpf: no program, the object
 * "has no XDP program"). */
static int
test_sym_shndx(void)
{
	int k = sym_idx(OBJ);
	Elf64_Sym s;

	TEST_ASSERT(k > 0, "symbol");
	s = sym(k);
	s.st_shndx = 200;
	set_sym(k, &s);
	return expect_refused("symbol %s: st_shndx 200 is not a section", OBJ);
}

/* A program 4 bytes short of whole instructions (libbpf: "Invalid
 * argument"). */
static int
test_func_partial_insn(void)
{
	int k = sym_idx(OBJ);
	Elf64_Sym s;

	TEST_ASSERT(k > 0, "symbol");
	s = sym(k);
	s.st_size -= 4;
	set_sym(k, &s);
	return expect_refused("function %s: st_value 0 and st_size %" PRIu64 " are not whole instructions",
		OBJ, (uint64_t)s.st_size);
}

/*
 * The program cut right after the first half of the LD_IMM64 that loads
 * fmt's address (.rodata): with kernel verification, libbpf's
 * bpf_object__load() stores the second half's imm 4 bytes past its copy
 * of the program (a heap-buffer-overflow under ASan).
 */
static int
test_func_ends_on_ld_imm64(void)
{
	unsigned int r = sec_idx(".relxdp"), i;
	Elf64_Shdr rs = shdr(r);
	int k = sym_idx(OBJ);
	Elf64_Sym s;

	TEST_ASSERT(r != 0 && k > 0, "relocations, symbol");
	for (i = 0; i < rs.sh_size / sizeof(Elf64_Rel); i++) {
		Elf64_Rel rel;

		memcpy(&rel, buf + rs.sh_offset + i * sizeof(rel), sizeof(rel));
		if (ELF64_ST_TYPE(sym(ELF64_R_SYM(rel.r_info)).st_info) !=
		    STT_SECTION)
			continue;
		s = sym(k);
		s.st_size = rel.r_offset + 8;
		set_sym(k, &s);
		return expect_refused("function %s (st_size %" PRIu64 ") ends on the first half of an LD_IMM64",
			OBJ, (uint64_t)s.st_size);
	}
	TEST_ASSERT(0, "no relocation against .rodata");
	return TEST_FAILED;
}

/* The program's BTF FUNC typed as an INT: accepted without the check
 * (the kernel refuses that BTF; libbpf then loads without it). */
static int
test_btf_func_type(void)
{
	uint32_t int_id = 0;
	size_t t = btf_type_off(OBJ, BTF_KIND_FUNC, &int_id);

	TEST_ASSERT(t != 0 && int_id != 0, "FUNC " OBJ ", an INT");
	memcpy(buf + t + offsetof(struct btf_type, type), &int_id, 4);
	return expect_refused("section .BTF: FUNC %s (type ", OBJ);
}

/* The first map of the .maps DATASEC an INT, not a VAR (libbpf:
 * "Invalid argument"; in .kconfig or .ksyms it writes VAR fields into
 * the INT and past it). */
static int
test_btf_datasec_entry(void)
{
	struct btf_var_secinfo vs;
	uint32_t int_id = 0;
	size_t t = btf_type_off(".maps", BTF_KIND_DATASEC, &int_id);

	TEST_ASSERT(t != 0 && int_id != 0, "DATASEC .maps, an INT");
	memcpy(&vs, buf + t + sizeof(struct btf_type), sizeof(vs));
	vs.type = int_id;
	memcpy(buf + t + sizeof(struct btf_type), &vs, sizeof(vs));
	return expect_refused("entry 0 is type %u, not a VAR", int_id);
}

/* The fuzzers' inputs: both refused, naming the cause. */
static int
test_fuzz_inputs(void)
{
	static const struct {
		const char *file, *what;
	} inputs[] = {
		{ "fuzz_obj_loader/regress-libbpf-rel-sh-info-0",
			"[16]: sh_info 0 is not a section to relocate" },
		{ "fuzz_obj_loader/regress-helper-fib-lookup-misaligned-params",
			"symbol xdp_fwd_direct: st_shndx 65528 is not a section" },
	};
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	char path[512], err[1024];
	struct rte_xdp_obj *obj;
	unsigned int k;

	for (k = 0; k < RTE_DIM(inputs); k++) {
		snprintf(path, sizeof(path), "%s/test/fuzz/corpus/%s",
			XDP_TEST_SRCDIR, inputs[k].file);
		err[0] = '\0';
		obj = rte_xdp_obj_open(path, &o, err, sizeof(err));
		rte_xdp_obj_close(obj);
		TEST_ASSERT_NULL(obj, "%s refused", inputs[k].file);
		TEST_ASSERT(strstr(err, inputs[k].what) != NULL,
			"%s: the error says \"%s\": %s", inputs[k].file,
			inputs[k].what, err);
	}
	return TEST_SUCCESS;
}

/*
 * A struct_ops map beside the XDP program, as clang builds it: libbpf
 * 1.1's bpf_object__load() (kernel verification: the default policy, as
 * root) dereferences the kernel BTF it did not load (SIGSEGV at 0x50 in
 * btf__type_cnt()).
 */
static int
test_struct_ops(void)
{
	TEST_ASSERT_SUCCESS(use_object("xdp_bad_structops"), "object");
	verify = RTE_XDP_VERIFY_AUTO;
	return expect_refused(".struct_ops [%u]: struct_ops maps are a kernel-only facility",
		sec_idx(".struct_ops"));
}

/*
 * Its variable at offset 0xfffffff8 of a DATASEC given a size (so that
 * libbpf keeps the offset): bpf_object__open() checks offset + size in 32
 * bits, which wraps, and copies from 4 GiB past the section (SIGSEGV).
 */
static int
test_struct_ops_offset_wrap(void)
{
	struct btf_var_secinfo vs;
	uint32_t size = 8;
	size_t t;

	TEST_ASSERT_SUCCESS(use_object("xdp_bad_structops"), "object");
	verify = RTE_XDP_VERIFY_BUILTIN;
	t = btf_type_off(".struct_ops", BTF_KIND_DATASEC, NULL);
	TEST_ASSERT(t != 0, "DATASEC .struct_ops");
	memcpy(buf + t + offsetof(struct btf_type, size), &size, 4);
	memcpy(&vs, buf + t + sizeof(struct btf_type), sizeof(vs));
	vs.offset = 0xfffffff8;
	memcpy(buf + t + sizeof(struct btf_type), &vs, sizeof(vs));
	return expect_refused(".struct_ops [%u]: struct_ops maps are a kernel-only facility",
		sec_idx(".struct_ops"));
}

static struct unit_test_suite obj_check_suite = {
	.suite_name = "ELF checks before libbpf",
	.setup = check_setup,
	.teardown = check_teardown,
	.unit_test_cases = {
		TEST_CASE(test_unmutated),
		TEST_CASE(test_rel_info_zero),
		TEST_CASE(test_rel_target_unreadable),
		TEST_CASE(test_rel_link),
		TEST_CASE(test_symtab_link),
		TEST_CASE(test_shstrndx),
		TEST_CASE(test_sym_name),
		TEST_CASE(test_sym_shndx),
		TEST_CASE(test_func_partial_insn),
		TEST_CASE(test_func_ends_on_ld_imm64),
		TEST_CASE(test_btf_func_type),
		TEST_CASE(test_btf_datasec_entry),
		TEST_CASE(test_fuzz_inputs),
		TEST_CASE(test_struct_ops),
		TEST_CASE(test_struct_ops_offset_wrap),
		TEST_CASES_END(),
	},
};

static int
test_xdp_obj_check(void)
{
	return unit_test_suite_runner(&obj_check_suite);
}

REGISTER_TEST_COMMAND(xdp_obj_check_autotest, test_xdp_obj_check);
