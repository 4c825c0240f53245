/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The object's ELF checked before libbpf sees it. libbpf 1.1 (Debian
 * 12's) follows indexes and offsets from ELF and BTF headers that it
 * does not check, or checks only in part; a malformed object then
 * crashes bpf_object__open() (and so the process that opens it, a data
 * plane included) or corrupts the heap in bpf_object__load() (kernel
 * verification). Each check below covers one field for every section or
 * symbol, not one input, and names the section and field it refuses:
 *
 *  - every section's contents can be read (libbpf takes the Elf_Data of
 *    a relocation's target without checking it against NULL);
 *  - e_shstrndx and the symbol table's sh_link are string tables;
 *  - a relocation section's sh_link is the symbol table and its sh_info a
 *    section: not 0 (libbpf checks only the upper bound);
 *  - every symbol but a compiler's local label has its st_name in the
 *    symbol string table and its st_shndx a section, SHN_UNDEF, SHN_ABS
 *    or SHN_COMMON (else libbpf's refusal, if any, names another cause:
 *    ENOENT for a map symbol's name, "no program" for a function's
 *    section);
 *  - a function lies inside its section (libbpf adds st_value and
 *    st_size unchecked), is whole instructions (libbpf cuts a program at
 *    any byte) and does not end on the first half of an LD_IMM64
 *    (bpf_object__load() stores the second half's imm past the
 *    program's copy);
 *  - in .BTF every type id a type refers to exists, every name offset
 *    is in the string section (libbpf before 1.3 follows them unchecked),
 *    a FUNC's type is a FUNC_PROTO and a DATASEC holds VARs (libbpf
 *    writes VAR fields into the types .kconfig and .ksyms entries name);
 *  - no struct_ops map (.struct_ops): kernel-only, and libbpf 1.1 copies
 *    its variables from offsets checked by a 32-bit sum that wraps, and
 *    dereferences a kernel BTF it did not load in bpf_object__load()
 *    when no struct_ops program comes with the map.
 */

#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "xdp_prog_internal.h"

/* A section's name for errors (a fuzzed one may be empty). */
static const char *
sec_name(const struct rte_xdp_obj *obj, size_t idx)
{
	const char *n = idx < obj->nb_secs ? obj->secs[idx].name : NULL;

	return n != NULL && n[0] != '\0' ? n : "(no name)";
}

/*
 * The kinds the kernel's BTF checks require where libbpf 1.1 assumes
 * them: a FUNC's type is a FUNC_PROTO, a DATASEC holds VARs (and, in
 * .ksyms, FUNCs). In .kconfig and .ksyms libbpf writes a VAR's linkage
 * and type (a FUNC_PROTO's parameter names) into whatever type an entry
 * names, past the end of a smaller one.
 */
static int
btf_kind_check(const struct btf *btf, uint32_t id, char *what,
	size_t what_len)
{
	const struct btf_type *t = btf__type_by_id(btf, id), *v;
	const char *name = btf__name_by_offset(btf, t->name_off);
	uint32_t k;

	if (btf_is_func(t) &&
	    !btf_is_func_proto(btf__type_by_id(btf, t->type))) {
		snprintf(what, what_len,
			"FUNC %s (type %u): its type %u is not a FUNC_PROTO",
			name, id, t->type);
		return 1;
	}
	if (!btf_is_datasec(t))
		return 0;
	for (k = 0; k < btf_vlen(t); k++) {
		v = btf__type_by_id(btf, btf_var_secinfos(t)[k].type);
		if (btf_is_var(v) ||
		    (btf_is_func(v) && strcmp(name, ".ksyms") == 0))
			continue;
		snprintf(what, what_len,
			"DATASEC %s (type %u): entry %u is type %u, not a VAR",
			name, id, k, btf_var_secinfos(t)[k].type);
		return 1;
	}
	return 0;
}

/*
 * Every type id a BTF type refers to exists and every name offset is in
 * the string section. libbpf before 1.3 follows them unchecked: a VAR
 * naming a type past the last one, or an extern FUNC whose name is out
 * of range, crashes bpf_object__open(). btf__new() checks the layout,
 * not the references. Then the kinds (btf_kind_check()).
 */
static int
btf_check_refs(const void *data, size_t size, char *what, size_t what_len)
{
	struct btf *btf = btf__new(data, size);
	uint32_t n, id, k, bad = 0;

	if (btf == NULL) {
		snprintf(what, what_len, "not valid BTF (%s)",
			strerror(errno));
		return -EINVAL;
	}
	n = btf__type_cnt(btf);
	for (id = 1; id < n && bad == 0; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		switch (btf_kind(t)) {
		case BTF_KIND_PTR:
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_FUNC:
		case BTF_KIND_FUNC_PROTO:
		case BTF_KIND_VAR:
		case BTF_KIND_TYPE_TAG:
		case BTF_KIND_DECL_TAG:
			bad = t->type >= n;
			break;
		case BTF_KIND_ARRAY:
			bad = btf_array(t)->type >= n ||
				btf_array(t)->index_type >= n;
			break;
		default:
			break;
		}
		for (k = 0; k < btf_vlen(t) && !bad; k++) {
			if (btf_is_composite(t))
				bad = btf_members(t)[k].type >= n;
			else if (btf_is_func_proto(t))
				bad = btf_params(t)[k].type >= n;
			else if (btf_is_datasec(t))
				bad = btf_var_secinfos(t)[k].type >= n;
		}
		if (bad) {
			snprintf(what, what_len,
				"type %u refers to a type id past the last (%u)",
				id, n - 1);
			break;
		}
		bad = btf__name_by_offset(btf, t->name_off) == NULL;
		for (k = 0; k < btf_vlen(t) && !bad; k++) {
			if (btf_is_composite(t))
				bad = btf__name_by_offset(btf,
					btf_members(t)[k].name_off) == NULL;
			else if (btf_is_func_proto(t))
				bad = btf__name_by_offset(btf,
					btf_params(t)[k].name_off) == NULL;
			else if (btf_is_enum(t))
				bad = btf__name_by_offset(btf,
					btf_enum(t)[k].name_off) == NULL;
			else if (btf_is_enum64(t))
				bad = btf__name_by_offset(btf,
					btf_enum64(t)[k].name_off) == NULL;
		}
		if (bad) {
			snprintf(what, what_len,
				"type %u has a name outside the string section",
				id);
			break;
		}
		bad = btf_kind_check(btf, id, what, what_len);
	}
	btf__free(btf);
	return bad ? -EINVAL : 0;
}

static int
is_strtab(Elf *elf, size_t idx)
{
	GElf_Shdr sh;

	return idx != 0 && gelf_getshdr(elf_getscn(elf, idx), &sh) != NULL &&
		sh.sh_type == SHT_STRTAB;
}

/* Section headers: contents, string tables, relocation links. */
static int
check_sections(const struct rte_xdp_obj *obj, Elf *elf, size_t symtab,
	char *err, size_t err_len)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx, idx;
	GElf_Shdr sh;
	Elf_Data *d;
	char what[96];

	if (elf_getshdrstrndx(elf, &shstrndx) != 0 ||
	    !is_strtab(elf, shstrndx)) {
		xdpc_err(err, err_len,
			"%s: ELF header: e_shstrndx %zu is not a string table",
			obj->path, shstrndx);
		return -EINVAL;
	}
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		idx = elf_ndxscn(scn);
		if (gelf_getshdr(scn, &sh) == NULL)
			return -EINVAL;
		d = elf_getdata(scn, NULL);
		if (d == NULL) {
			xdpc_err(err, err_len,
				"%s: section %s [%zu]: its contents cannot be read (%s)",
				obj->path, sec_name(obj, idx), idx,
				elf_errmsg(-1));
			return -EINVAL;
		}
		if (sh.sh_type == SHT_SYMTAB && !is_strtab(elf, sh.sh_link)) {
			xdpc_err(err, err_len,
				"%s: section %s [%zu]: sh_link %u is not a string table",
				obj->path, sec_name(obj, idx), idx, sh.sh_link);
			return -EINVAL;
		}
		if (sh.sh_type == SHT_REL &&
		    (sh.sh_info == 0 || sh.sh_info >= obj->nb_secs)) {
			xdpc_err(err, err_len,
				"%s: section %s [%zu]: sh_info %u is not a section to relocate (%u sections)",
				obj->path, sec_name(obj, idx), idx, sh.sh_info,
				obj->nb_secs);
			return -EINVAL;
		}
		if (sh.sh_type == SHT_REL && sh.sh_link != symtab) {
			xdpc_err(err, err_len,
				"%s: section %s [%zu]: sh_link %u is not the symbol table [%zu]",
				obj->path, sec_name(obj, idx), idx, sh.sh_link,
				symtab);
			return -EINVAL;
		}
		if (strncmp(sec_name(obj, idx), ".struct_ops", 11) == 0) {
			xdpc_err(err, err_len,
				"%s: section %s [%zu]: struct_ops maps are a kernel-only facility",
				obj->path, sec_name(obj, idx), idx);
			return -EINVAL;
		}
		if (strcmp(sec_name(obj, idx), ".BTF") == 0 &&
		    (sh.sh_type != SHT_PROGBITS || d->d_buf == NULL)) {
			xdpc_err(err, err_len, "%s: section .BTF has no contents",
				obj->path);
			return -EINVAL;
		}
		if (strcmp(sec_name(obj, idx), ".BTF") == 0 &&
		    btf_check_refs(d->d_buf, d->d_size, what,
				sizeof(what)) != 0) {
			xdpc_err(err, err_len, "%s: section .BTF: %s",
				obj->path, what);
			return -EINVAL;
		}
	}
	return 0;
}

/* Symbols: names and section indexes. */
static int
check_symbols(const struct rte_xdp_obj *obj, Elf *elf, size_t symtab,
	char *err, size_t err_len)
{
	Elf_Scn *scn = elf_getscn(elf, symtab);
	Elf_Data *d = elf_getdata(scn, NULL);
	GElf_Shdr sh;
	GElf_Sym s;
	size_t i;

	if (gelf_getshdr(scn, &sh) == NULL || d == NULL)
		return -EINVAL;
	for (i = 0; i < obj->nb_syms; i++) {
		if (gelf_getsym(d, i, &s) == NULL)
			return -EINVAL;
		/* a compiler's label: nothing looks it up */
		if (GELF_ST_TYPE(s.st_info) == STT_NOTYPE &&
		    GELF_ST_BIND(s.st_info) == STB_LOCAL)
			continue;
		if (elf_strptr(elf, sh.sh_link, s.st_name) == NULL) {
			xdpc_err(err, err_len,
				"%s: section %s [%zu]: symbol %zu: st_name %u is not in the string table %s",
				obj->path, sec_name(obj, symtab), symtab, i,
				s.st_name, sec_name(obj, sh.sh_link));
			return -EINVAL;
		}
		if (s.st_shndx >= obj->nb_secs && s.st_shndx != SHN_ABS &&
		    s.st_shndx != SHN_COMMON) {
			xdpc_err(err, err_len,
				"%s: section %s [%zu]: symbol %s: st_shndx %u is not a section (%u sections)",
				obj->path, sec_name(obj, symtab), symtab,
				obj->syms[i].name, s.st_shndx, obj->nb_secs);
			return -EINVAL;
		}
	}
	return 0;
}

/* Symbols in executable sections: programs as libbpf cuts them. */
static int
check_functions(const struct rte_xdp_obj *obj, char *err, size_t err_len)
{
	const size_t isz = sizeof(struct xinsn);
	uint32_t i;

	for (i = 0; i < obj->nb_syms; i++) {
		const struct xdpc_sym *sy = &obj->syms[i];
		const struct xdpc_sec *sec;
		uint64_t sz;

		if (sy->shndx >= obj->nb_secs ||
		    obj->secs[sy->shndx].ins == NULL)
			continue;
		sec = &obj->secs[sy->shndx];
		sz = (uint64_t)sec->nb_ins * isz;
		if (sy->value > sz || sy->size > sz - sy->value) {
			xdpc_err(err, err_len,
				"%s: symbol %s ends past its section %s",
				obj->path, sy->name, sec->name);
			return -EINVAL;
		}
		if (sy->type != STT_FUNC)
			continue;
		if (sy->value % isz != 0 || sy->size % isz != 0) {
			xdpc_err(err, err_len,
				"%s: section %s: function %s: st_value %" PRIu64 " and st_size %" PRIu64 " are not whole instructions",
				obj->path, sec->name, sy->name, sy->value,
				sy->size);
			return -EINVAL;
		}
		if (sy->size != 0 && sec->ins[(sy->value + sy->size) / isz -
				1].code == XB_LD_IMM64) {
			xdpc_err(err, err_len,
				"%s: section %s: function %s (st_size %" PRIu64 ") ends on the first half of an LD_IMM64",
				obj->path, sec->name, sy->name, sy->size);
			return -EINVAL;
		}
	}
	return 0;
}

int
xdpc_obj_check_elf(const struct rte_xdp_obj *obj, struct Elf *elf,
	char *err, size_t err_len)
{
	Elf_Scn *scn = NULL;
	size_t symtab = 0;
	GElf_Shdr sh;
	int ret;

	while ((scn = elf_nextscn(elf, scn)) != NULL)
		if (gelf_getshdr(scn, &sh) != NULL &&
		    sh.sh_type == SHT_SYMTAB)
			symtab = elf_ndxscn(scn);
	ret = check_sections(obj, elf, symtab, err, err_len);
	if (ret == 0 && symtab != 0)
		ret = check_symbols(obj, elf, symtab, err, err_len);
	if (ret == 0)
		ret = check_functions(obj, err, err_len);
	if (ret != 0 && (err == NULL || err_len == 0 || err[0] == '\0'))
		xdpc_err(err, err_len, "%s: malformed ELF section", obj->path);
	return ret;
}
