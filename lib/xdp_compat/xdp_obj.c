/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Open phase: libbpf parses programs and map definitions (BTF .maps and
 * global data); libelf gives what libbpf does not expose: instructions per
 * section, symbols and relocations. Load phase: create the maps, then
 * link, rewrite and load each program (xdp_prog.c).
 */

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_per_lcore.h>
#include <rte_string_fns.h>

#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

void
xdpc_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* libbpf's last warning: the reason of a refusal without verifier log */
static RTE_DEFINE_PER_LCORE(char, libbpf_last[256]);

static int
libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[512];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	XDPC_LOG(DEBUG, "libbpf: %s", buf);
	if (level == LIBBPF_WARN && strstr(buf, "failed to load object") == NULL)
		strlcpy(RTE_PER_LCORE(libbpf_last), buf,
			sizeof(RTE_PER_LCORE(libbpf_last)));
	return 0;
}

static int
read_file(const char *path, void **buf, size_t *size)
{
	FILE *f = fopen(path, "rb");
	long sz;
	void *b;

	if (f == NULL)
		return -errno;
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -EIO;
	}
	b = malloc(sz > 0 ? sz : 1);
	if (b == NULL || fread(b, 1, sz, f) != (size_t)sz) {
		free(b);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*buf = b;
	*size = sz;
	return 0;
}

static int
parse_map_rels(struct rte_xdp_obj *obj, Elf_Data *d, size_t n, char *err,
	size_t err_len)
{
	size_t i;

	if (obj->map_rels != NULL) {
		xdpc_err(err, err_len, "%s: two relocation sections for .maps",
			obj->path);
		return -EINVAL;
	}
	obj->map_rels = calloc(n + 1, sizeof(*obj->map_rels));
	if (obj->map_rels == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		GElf_Rel r;

		if (gelf_getrel(d, i, &r) == NULL ||
		    GELF_R_SYM(r.r_info) >= obj->nb_syms) {
			xdpc_err(err, err_len, "%s: section .maps: bad relocation %zu",
				obj->path, i);
			return -EINVAL;
		}
		obj->map_rels[i].insn = r.r_offset;
		obj->map_rels[i].sym = GELF_R_SYM(r.r_info);
	}
	obj->nb_map_rels = n;
	return 0;
}

/* Sections, symbols, relocations and license with libelf. */
static int
parse_elf(struct rte_xdp_obj *obj, char *err, size_t err_len)
{
	Elf *elf;
	Elf_Scn *scn = NULL;
	GElf_Ehdr ehdr;
	GElf_Shdr sh;
	Elf_Data *d;
	size_t shstrndx, nsec, i;
	int ret = -EINVAL;

	elf_version(EV_CURRENT);
	elf = elf_memory(obj->elf_buf, obj->elf_size);
	if (elf == NULL || elf_kind(elf) != ELF_K_ELF ||
	    gelf_getehdr(elf, &ehdr) == NULL) {
		xdpc_err(err, err_len, "%s: not an ELF object", obj->path);
		goto out;
	}
	if (ehdr.e_machine != EM_BPF) {
		xdpc_err(err, err_len, "%s: not a BPF object (e_machine %u)",
			obj->path, ehdr.e_machine);
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx) != 0 ||
	    elf_getshdrnum(elf, &nsec) != 0) {
		xdpc_err(err, err_len, "%s: malformed ELF section headers",
			obj->path);
		goto out;
	}
	if (ehdr.e_shoff > obj->elf_size ||
	    (uint64_t)nsec * ehdr.e_shentsize > obj->elf_size - ehdr.e_shoff) {
		xdpc_err(err, err_len,
			"%s: truncated ELF: section headers end past the file (%zu bytes)",
			obj->path, obj->elf_size);
		goto out;
	}
	obj->secs = calloc(nsec, sizeof(*obj->secs));
	if (obj->secs == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	obj->nb_secs = nsec;
	obj->maps_shndx = -1;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		size_t idx = elf_ndxscn(scn);
		const char *name;

		if (gelf_getshdr(scn, &sh) == NULL || idx >= nsec)
			goto bad;
		if (sh.sh_type != SHT_NOBITS && (sh.sh_offset > obj->elf_size ||
		    sh.sh_size > obj->elf_size - sh.sh_offset)) {
			xdpc_err(err, err_len,
				"%s: truncated ELF: section %zu ends past the file (%zu bytes)",
				obj->path, idx, obj->elf_size);
			goto out;
		}
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		obj->secs[idx].name = strdup(name != NULL ? name : "");
		obj->secs[idx].data_map_idx = -1;
		obj->secs[idx].sh_type = sh.sh_type;
		obj->secs[idx].sh_flags = sh.sh_flags;
		obj->secs[idx].data_off = sh.sh_offset;
		obj->secs[idx].data_size = sh.sh_size;
		if (name == NULL)
			continue;
		d = elf_getdata(scn, NULL);
		if (strcmp(name, ".maps") == 0)
			obj->maps_shndx = idx;
		if (strcmp(name, "license") == 0 && d != NULL &&
		    d->d_buf != NULL)
			strlcpy(obj->license, d->d_buf,
				RTE_MIN(sizeof(obj->license), d->d_size + 1));
		if (sh.sh_type == SHT_PROGBITS &&
		    (sh.sh_flags & SHF_EXECINSTR) && d != NULL && d->d_size != 0) {
			if (d->d_size % sizeof(struct xinsn) != 0)
				goto bad;
			obj->secs[idx].ins = malloc(d->d_size + 1);
			if (obj->secs[idx].ins == NULL) {
				ret = -ENOMEM;
				goto out;
			}
			memcpy((void *)(uintptr_t)obj->secs[idx].ins,
				d->d_buf, d->d_size);
			obj->secs[idx].nb_ins = d->d_size / sizeof(struct xinsn);
		}
	}
	/* Symbols and relocations, now that every section is known. */
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL)
			goto bad;
		d = elf_getdata(scn, NULL);
		if (sh.sh_type == SHT_SYMTAB && d != NULL) {
			size_t n = d->d_size / sizeof(Elf64_Sym);

			if (obj->syms != NULL) {
				xdpc_err(err, err_len,
					"%s: two symbol tables", obj->path);
				goto out;
			}
			obj->syms = calloc(n + 1, sizeof(*obj->syms));
			if (obj->syms == NULL) {
				ret = -ENOMEM;
				goto out;
			}
			for (i = 0; i < n; i++) {
				GElf_Sym s;
				const char *nm;

				if (gelf_getsym(d, i, &s) == NULL)
					goto bad;
				nm = elf_strptr(elf, sh.sh_link, s.st_name);
				obj->syms[i].name = strdup(nm ? nm : "");
				obj->syms[i].shndx = s.st_shndx;
				obj->syms[i].type = GELF_ST_TYPE(s.st_info);
				obj->syms[i].bind = GELF_ST_BIND(s.st_info);
				obj->syms[i].value = s.st_value;
				obj->syms[i].size = s.st_size;
			}
			obj->nb_syms = n;
		}
	}
	/* what libbpf would follow unchecked */
	ret = xdpc_obj_check_elf(obj, elf, err, err_len);
	if (ret != 0)
		goto out;
	ret = -EINVAL;
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		struct xdpc_sec *tgt;
		size_t n;

		if (gelf_getshdr(scn, &sh) == NULL)
			goto bad;
		if (sh.sh_type != SHT_REL)
			continue;
		if (sh.sh_info >= nsec)
			goto bad;
		tgt = &obj->secs[sh.sh_info];
		d = elf_getdata(scn, NULL);
		if (d == NULL)
			continue;
		n = d->d_size / sizeof(Elf64_Rel);
		if (tgt->ins == NULL && (int)sh.sh_info == obj->maps_shndx) {
			/* .rel.maps: the .values of maps of maps and of
			 * prog arrays */
			ret = parse_map_rels(obj, d, n, err, err_len);
			if (ret != 0)
				goto out;
			continue;
		}
		if (tgt->ins == NULL)
			continue;	/* e.g. .rel.BTF.ext */
		if (tgt->rel != NULL) {
			xdpc_err(err, err_len,
				"%s: two relocation sections for section %s",
				obj->path, tgt->name);
			ret = -EINVAL;
			goto out;
		}
		tgt->rel = calloc(n + 1, sizeof(*tgt->rel));
		if (tgt->rel == NULL) {
			ret = -ENOMEM;
			goto out;
		}
		for (i = 0; i < n; i++) {
			GElf_Rel r;

			if (gelf_getrel(d, i, &r) == NULL ||
			    r.r_offset % sizeof(struct xinsn) != 0 ||
			    r.r_offset / sizeof(struct xinsn) >= tgt->nb_ins ||
			    GELF_R_SYM(r.r_info) >= obj->nb_syms) {
				xdpc_err(err, err_len,
					"%s: section %s: bad relocation %zu",
					obj->path, tgt->name, i);
				ret = -EINVAL;
				goto out;
			}
			tgt->rel[i].insn = r.r_offset / sizeof(struct xinsn);
			tgt->rel[i].sym = GELF_R_SYM(r.r_info);
		}
		tgt->nb_rel = n;
	}
	ret = 0;
	goto out;
bad:
	xdpc_err(err, err_len, "%s: malformed ELF section", obj->path);
	ret = -EINVAL;
out:
	if (elf != NULL)
		elf_end(elf);
	return ret;
}

int
xdpc_find_sec(const struct rte_xdp_obj *obj, const char *name)
{
	uint32_t i;

	for (i = 0; i < obj->nb_secs; i++)
		if (obj->secs[i].name != NULL &&
		    strcmp(obj->secs[i].name, name) == 0)
			return i;
	return -1;
}

/* libbpf names global-data maps "<obj prefix><section>" (15 chars max). */
static int
internal_map_section(const struct rte_xdp_obj *obj, const char *map_name)
{
	const char *dot = strchr(map_name, '.');
	uint32_t i;
	int sec;

	if (dot == NULL)
		return -1;
	sec = xdpc_find_sec(obj, dot);
	if (sec >= 0)
		return sec;
	for (i = 0; i < obj->nb_secs; i++)
		if (obj->secs[i].name != NULL &&
		    strncmp(obj->secs[i].name, dot, strlen(dot)) == 0)
			return i;
	return -1;
}

/*
 * Byte offset of the struct bpf_spin_lock in a map value type (a member
 * of the value struct, as the kernel's btf_find_spin_lock() looks for it),
 * -1 without one or with several.
 */
static int
btf_spin_lock_off(const struct btf *btf, uint32_t value_type)
{
	const struct btf_type *t, *mt;
	const struct btf_member *m;
	int off = -1;
	uint32_t k;

	if (btf == NULL || value_type == 0)
		return -1;
	t = btf__type_by_id(btf, btf__resolve_type(btf, value_type));
	if (t == NULL || !btf_is_struct(t))
		return -1;
	m = btf_members(t);
	for (k = 0; k < btf_vlen(t); k++) {
		const char *name;

		mt = btf__type_by_id(btf, m[k].type);
		if (mt == NULL || !btf_is_struct(mt))
			continue;
		name = btf__name_by_offset(btf, mt->name_off);
		if (name == NULL || strcmp(name, "bpf_spin_lock") != 0)
			continue;
		if (off >= 0 || btf_member_bit_offset(t, k) % 32 != 0)
			return -1;
		off = btf_member_bit_offset(t, k) / 8;
	}
	return off;
}

/* Byte offset of the "values" member of a BTF-defined map, or -1. */
static int
btf_values_off(const struct btf *btf, const char *map_name)
{
	const struct btf_var_secinfo *vi;
	const struct btf_type *sec, *t;
	int id, i, j;

	if (btf == NULL)
		return -1;
	id = btf__find_by_name_kind(btf, ".maps", BTF_KIND_DATASEC);
	if (id < 0)
		return -1;
	sec = btf__type_by_id(btf, id);
	vi = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vi++) {
		t = btf__type_by_id(btf, vi->type);
		if (t == NULL || !btf_is_var(t) ||
		    strcmp(btf__name_by_offset(btf, t->name_off), map_name) != 0)
			continue;
		t = btf__type_by_id(btf, t->type);
		while (t != NULL && (btf_is_mod(t) || btf_is_typedef(t)))
			t = btf__type_by_id(btf, t->type);
		if (t == NULL || !btf_is_struct(t))
			return -1;
		for (j = 0; j < btf_vlen(t); j++)
			if (strcmp(btf__name_by_offset(btf,
					btf_members(t)[j].name_off),
					"values") == 0)
				return btf_member_bit_offset(t, j) / 8;
		return -1;
	}
	return -1;
}

/* Why a program of the object is not loaded as XDP, from its section;
 * *known: 0 when libbpf would not know the section either. */
const char *
xdpc_section_kind(const char *sname, int *known)
{
	static const struct {
		const char *prefix, *kind;
	} kinds[] = {
		{ "tracepoint/", "a tracepoint program (kernel-only facility: tracepoints)" },
		{ "tp/", "a tracepoint program (kernel-only facility: tracepoints)" },
		{ "raw_tracepoint", "a raw tracepoint program (kernel-only facility: tracepoints)" },
		{ "raw_tp", "a raw tracepoint program (kernel-only facility: tracepoints)" },
		{ "tp_btf/", "a BTF tracepoint program (kernel-only facility: tracepoints)" },
		{ "kprobe/", "a kprobe program (kernel-only facility: kprobes)" },
		{ "kretprobe/", "a kprobe program (kernel-only facility: kprobes)" },
		{ "fentry/", "a tracing program (kernel-only facility: fentry)" },
		{ "fexit/", "a tracing program (kernel-only facility: fexit)" },
		{ "freplace/", "an extension program (kernel-only facility: freplace)" },
		{ "tc", "a tc program (kernel-only facility: the networking stack)" },
		{ "classifier", "a tc program (kernel-only facility: the networking stack)" },
		{ "socket", "a socket filter (kernel-only facility: sockets)" },
		{ "sk_", "a socket program (kernel-only facility: sockets)" },
		{ "sockops", "a socket program (kernel-only facility: sockets)" },
		{ "cgroup", "a cgroup program (kernel-only facility: cgroups)" },
		{ "lsm/", "an LSM program (kernel-only facility: LSM hooks)" },
		{ "iter/", "an iterator (kernel-only facility: iterators)" },
		{ "struct_ops", "a struct_ops program (kernel-only facility)" },
	};
	unsigned int i;

	*known = 1;
	for (i = 0; i < RTE_DIM(kinds); i++)
		if (strncmp(sname, kinds[i].prefix,
				strlen(kinds[i].prefix)) == 0)
			return kinds[i].kind;
	*known = 0;
	return "a section libbpf does not recognise (load it as XDP with type xdp)";
}

void
xdpc_obj_not_xdp(struct rte_xdp_obj *obj, const char *name,
	const char *sname)
{
	size_t n = strlen(obj->not_xdp);
	int known;
	const char *kind = xdpc_section_kind(sname, &known);

	XDPC_LOG(INFO, "%s: program %s in section %s is not XDP: %s, skipped",
		obj->path, name, sname, kind);
	snprintf(obj->not_xdp + n, sizeof(obj->not_xdp) - n, "%s%s (%s): %s",
		n != 0 ? "; " : "", name, sname, kind);
}

/* Register an XDP program: its function symbol in its section. */
int
xdpc_obj_add_prog(struct rte_xdp_obj *obj, const char *name,
	const char *sname, int frags, char *err, size_t err_len)
{
	struct rte_xdp_prog *p = &obj->progs[obj->nb_progs];
	uint32_t i;
	int sec;

	memset(p, 0, sizeof(*p));
	p->obj = obj;
	strlcpy(p->name, name, sizeof(p->name));
	strlcpy(p->section, sname, sizeof(p->section));
	/* libbpf only sets BPF_F_XDP_HAS_FRAGS when it loads */
	p->frags = frags || strcmp(sname, "xdp.frags") == 0 ||
		strncmp(sname, "xdp.frags/", 10) == 0;
	p->autoload = 1;
	if (strcmp(sname, "xdp/devmap") == 0 ||
	    strcmp(sname, "xdp.frags/devmap") == 0)
		p->attach = RTE_XDP_ATTACH_DEVMAP;
	else if (strcmp(sname, "xdp/cpumap") == 0 ||
		 strcmp(sname, "xdp.frags/cpumap") == 0)
		p->attach = RTE_XDP_ATTACH_CPUMAP;
	else
		p->attach = RTE_XDP_ATTACH_RX;
	sec = xdpc_find_sec(obj, sname);
	if (sec < 0 || obj->secs[sec].ins == NULL) {
		xdpc_err(err, err_len, "%s: section %s not found", obj->path,
			sname);
		return -EINVAL;
	}
	p->sec = sec;
	for (i = 0; i < obj->nb_syms; i++) {
		const struct xdpc_sym *s = &obj->syms[i];

		if (s->shndx == sec && s->type == STT_FUNC &&
		    strcmp(s->name, p->name) == 0)
			break;
	}
	if (i == obj->nb_syms ||
	    obj->syms[i].value % sizeof(struct xinsn) != 0 ||
	    (obj->syms[i].value + obj->syms[i].size) /
		sizeof(struct xinsn) > obj->secs[sec].nb_ins) {
		xdpc_err(err, err_len,
			"%s: section %s: no valid symbol for program %s",
			obj->path, sname, p->name);
		return -EINVAL;
	}
	p->start = obj->syms[i].value / sizeof(struct xinsn);
	p->len = obj->syms[i].size / sizeof(struct xinsn);
	p->nb_insns = p->len;
	obj->nb_progs++;
	return 0;
}

const char *
rte_xdp_obj_not_xdp(const struct rte_xdp_obj *obj)
{
	return obj->not_xdp;
}

/*
 * libbpf opens the bytes we read and checked, never the path again: the
 * file may have changed since, or there may be no file (a control
 * request). Named after the path as bpf_object__open_file() names it.
 */
static struct bpf_object *
open_libbpf(const struct rte_xdp_obj *obj, struct bpf_object_open_opts *oo)
{
	LIBBPF_OPTS(bpf_object_open_opts, dflt);
	const char *base = strrchr(obj->path, '/');

	if (oo == NULL)
		oo = &dflt;
	oo->object_name = base != NULL ? base + 1 : obj->path;
	return bpf_object__open_mem(obj->elf_buf, obj->elf_size, oo);
}

static int
collect_libbpf(struct rte_xdp_obj *obj, char *err, size_t err_len)
{
	struct bpf_object *bo;
	struct bpf_program *bp;
	struct bpf_map *bm;
	uint32_t n;
	int ret = 0;

	libbpf_set_print(libbpf_log);
	/* legacy map definitions: libbpf 1.x refuses them, we parse them */
	if (xdpc_find_sec(obj, "maps") >= 0)
		return xdpc_collect_legacy(obj, err, err_len);
	bo = open_libbpf(obj, NULL);
	if (bo == NULL) {
		char why[128];

		ret = -errno;
		libbpf_strerror(-ret, why, sizeof(why));
		xdpc_err(err, err_len, "%s: libbpf cannot open object: %s",
			obj->path, why);
		return ret;
	}
	n = 0;
	bpf_object__for_each_map(bm, bo)
		n++;
	obj->maps = calloc(n + 1, sizeof(*obj->maps));
	n = 0;
	bpf_object__for_each_program(bp, bo)
		n++;
	obj->progs = calloc(n + 1, sizeof(*obj->progs));
	if (obj->maps == NULL || obj->progs == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	bpf_object__for_each_map(bm, bo) {
		struct xdpc_map_slot *ms = &obj->maps[obj->nb_maps];
		const void *init;
		size_t isz = 0;
		int sec;

		strlcpy(ms->name, bpf_map__name(bm), sizeof(ms->name));
		ms->def.type = bpf_map__type(bm);
		ms->def.key_size = bpf_map__key_size(bm);
		ms->def.value_size = bpf_map__value_size(bm);
		ms->def.max_entries = bpf_map__max_entries(bm);
		ms->def.map_flags = bpf_map__map_flags(bm);
		ms->internal = bpf_map__is_internal(bm);
		ms->values_off = btf_values_off(bpf_object__btf(bo), ms->name);
		if (ms->def.value_size > XDPC_MAX_VALUE_SIZE) {
			/* as the kernel's array and hash maps */
			xdpc_err(err, err_len,
				"%s: map %s: value size %u above the limit of %u bytes",
				obj->path, ms->name, ms->def.value_size,
				XDPC_MAX_VALUE_SIZE);
			ret = -E2BIG;
			goto out;
		}
		ms->spin_lock_off = -1;
		if (!ms->internal && (ms->def.type == RTE_XDP_MAP_ARRAY ||
		    ms->def.type == RTE_XDP_MAP_HASH))
			ms->spin_lock_off = btf_spin_lock_off(
				bpf_object__btf(bo),
				bpf_map__btf_value_type_id(bm));
		if (ms->spin_lock_off >= 0 && (uint32_t)ms->spin_lock_off +
		    XDPC_SPIN_LOCK_SIZE > ms->def.value_size) {
			xdpc_err(err, err_len,
				"%s: map %s: struct bpf_spin_lock at offset %d is outside its %u-byte value",
				obj->path, ms->name, ms->spin_lock_off,
				ms->def.value_size);
			ret = -EINVAL;
			goto out;
		}
		if (bpf_map__inner_map(bm) != NULL) {
			struct bpf_map *im = bpf_map__inner_map(bm);

			ms->has_inner = 1;
			ms->inner_def.type = bpf_map__type(im);
			ms->inner_def.key_size = bpf_map__key_size(im);
			ms->inner_def.value_size = bpf_map__value_size(im);
			ms->inner_def.max_entries = bpf_map__max_entries(im);
			ms->inner_def.map_flags = bpf_map__map_flags(im);
		}
		/* libbpf sizes a perf event array to the possible CPUs */
		if (ms->def.type == RTE_XDP_MAP_PERF_EVENT_ARRAY &&
		    ms->def.max_entries == 0)
			ms->def.max_entries = rte_xdp_map_nb_cpus();
		if (ms->internal) {
			sec = internal_map_section(obj, ms->name);
			if (sec < 0) {
				xdpc_err(err, err_len,
					"%s: map %s: no matching data section",
					obj->path, ms->name);
				ret = -EINVAL;
				goto out;
			}
			strlcpy(ms->sec_name, obj->secs[sec].name,
				sizeof(ms->sec_name));
			obj->secs[sec].data_map_idx = obj->nb_maps;
			init = bpf_map__initial_value(bm, &isz);
			if (init != NULL && isz != 0) {
				ms->init = malloc(isz);
				if (ms->init == NULL) {
					ret = -ENOMEM;
					goto out;
				}
				memcpy(ms->init, init, isz);
				ms->init_size = isz;
			}
		}
		obj->nb_maps++;
	}
	bpf_object__for_each_program(bp, bo) {
		const char *sname = bpf_program__section_name(bp);
		enum bpf_prog_type t = bpf_program__type(bp);

		if (t != BPF_PROG_TYPE_XDP &&
		    !(t == BPF_PROG_TYPE_UNSPEC && obj->opts.force_xdp)) {
			xdpc_obj_not_xdp(obj, bpf_program__name(bp), sname);
			continue;
		}
		ret = xdpc_obj_add_prog(obj, bpf_program__name(bp), sname,
			(bpf_program__flags(bp) & BPF_F_XDP_HAS_FRAGS) != 0,
			err, err_len);
		if (ret != 0)
			goto out;
	}
	if (obj->nb_progs == 0) {
		xdpc_err(err, err_len, "%s: no XDP program in object%s%s",
			obj->path, obj->not_xdp[0] != '\0' ? ": " : "",
			obj->not_xdp);
		ret = -ENOENT;
	}
out:
	bpf_object__close(bo);
	return ret;
}

static struct rte_xdp_obj *
obj_new(const char *path, const struct rte_xdp_obj_opts *opts, char *err,
	size_t err_len)
{
	struct rte_xdp_obj *obj;

	obj = calloc(1, sizeof(*obj));
	if (obj == NULL) {
		xdpc_err(err, err_len, "out of memory");
		rte_errno = ENOMEM;
		return NULL;
	}
	strlcpy(obj->path, path, sizeof(obj->path));
	if (opts != NULL)
		obj->opts = *opts;
	else
		obj->opts.socket_id = SOCKET_ID_ANY;
	if (obj->opts.pkt_window == 0)
		obj->opts.pkt_window = 1024;
	return obj;
}

static struct rte_xdp_obj *
obj_parse(struct rte_xdp_obj *obj, char *err, size_t err_len)
{
	int ret;

	ret = parse_elf(obj, err, err_len);
	if (ret != 0)
		goto fail;
	ret = collect_libbpf(obj, err, err_len);
	if (ret != 0)
		goto fail;
	return obj;
fail:
	rte_xdp_obj_close(obj);
	rte_errno = -ret;
	return NULL;
}

struct rte_xdp_obj *
rte_xdp_obj_open(const char *path, const struct rte_xdp_obj_opts *opts,
	char *err, size_t err_len)
{
	struct rte_xdp_obj *obj = obj_new(path, opts, err, err_len);
	int ret;

	if (obj == NULL)
		return NULL;
	ret = read_file(path, &obj->elf_buf, &obj->elf_size);
	if (ret != 0) {
		xdpc_err(err, err_len, "%s: %s", path, strerror(-ret));
		rte_xdp_obj_close(obj);
		rte_errno = -ret;
		return NULL;
	}
	return obj_parse(obj, err, err_len);
}

struct rte_xdp_obj *
rte_xdp_obj_open_mem(const char *name, const void *buf, size_t size,
	const struct rte_xdp_obj_opts *opts, char *err, size_t err_len)
{
	struct rte_xdp_obj *obj = obj_new(name, opts, err, err_len);

	if (obj == NULL)
		return NULL;
	obj->elf_buf = malloc(size > 0 ? size : 1);
	if (obj->elf_buf == NULL) {
		xdpc_err(err, err_len, "out of memory");
		rte_xdp_obj_close(obj);
		rte_errno = ENOMEM;
		return NULL;
	}
	memcpy(obj->elf_buf, buf, size);
	obj->elf_size = size;
	return obj_parse(obj, err, err_len);
}


int
rte_xdp_obj_set_autoload(struct rte_xdp_obj *obj, const char *name,
	int autoload)
{
	struct rte_xdp_prog *p;

	if (obj->loaded)
		return -EBUSY;
	p = rte_xdp_obj_find_prog(obj, name);
	if (p == NULL)
		return -ENOENT;
	p->autoload = autoload != 0;
	return 0;
}

int
rte_xdp_obj_set_max_entries(struct rte_xdp_obj *obj, const char *name,
	uint32_t max_entries)
{
	uint32_t i;

	if (obj->loaded)
		return -EBUSY;
	for (i = 0; i < obj->nb_maps; i++)
		if (strcmp(obj->maps[i].name, name) == 0) {
			if (obj->maps[i].internal)
				return -EINVAL;
			obj->maps[i].def.max_entries = max_entries;
			return 0;
		}
	return -ENOENT;
}

void *
xdpc_map_value0(struct rte_xdp_map *map)
{
	uint32_t zero = 0;

	return map->ops->lookup(map, &zero, 0);
}

static int
create_maps(struct rte_xdp_obj *obj, char *err, size_t err_len)
{
	struct xdpc_map_slot *ms;
	uint32_t i;
	void *v;

	for (i = 0; i < obj->nb_maps; i++) {
		ms = &obj->maps[i];
		ms->map = ms->has_inner ?
			xdpc_map_create_outer(ms->name, &ms->def,
				&ms->inner_def, obj->opts.socket_id) :
			rte_xdp_map_create(ms->name, &ms->def,
				obj->opts.socket_id);
		if (ms->map == NULL && rte_errno == ENOMEM) {
			size_t need = 0;
			char hint[256];
			uint32_t k;

			/* this map and the ones still to be created */
			for (k = i; k < obj->nb_maps; k++)
				need += xdpc_map_mem_need(&obj->maps[k].def);
			xdpc_map_nomem_hint(need, obj->opts.socket_id, hint,
				sizeof(hint));
			xdpc_err(err, err_len,
				"%s: map %s (type %u): %s: it and the maps after it need %zu MB of DPDK memory, %s",
				obj->path, ms->name, ms->def.type,
				rte_strerror(ENOMEM), (need + (1u << 20) - 1) >> 20,
				hint);
			return -ENOMEM;
		}
		if (ms->map == NULL) {
			xdpc_err(err, err_len, "%s: map %s (type %u): %s",
				obj->path, ms->name, ms->def.type,
				rte_errno == ENOTSUP ? "map type not supported" :
				rte_strerror(rte_errno));
			return -rte_errno;
		}
		if (ms->spin_lock_off >= 0) {
			ms->map->has_spin_lock = 1;
			ms->map->spin_lock_off = ms->spin_lock_off;
		}
		if (ms->internal) {
			v = xdpc_map_value0(ms->map);
			if (v != NULL && ms->init != NULL)
				memcpy(v, ms->init, RTE_MIN(ms->init_size,
					(size_t)ms->def.value_size));
		}
	}
	for (i = 0; i < obj->nb_secs; i++)
		if (obj->secs[i].data_map_idx >= 0)
			obj->secs[i].data_map =
				obj->maps[obj->secs[i].data_map_idx].map;
	return 0;
}

/*
 * The .values initialisers of maps of maps and prog arrays (libbpf's
 * init slots): relocations in .maps against a map or a program.
 */
static int
init_slots(struct rte_xdp_obj *obj, char *err, size_t err_len)
{
	uint32_t i, m, k;
	int ret;

	for (i = 0; i < obj->nb_map_rels; i++) {
		const struct xdpc_rel *r = &obj->map_rels[i];
		const struct xdpc_sym *tgt = &obj->syms[r->sym];
		struct xdpc_map_slot *ms = NULL;
		uint32_t idx, id = 0;

		for (m = 0; m < obj->nb_maps; m++) {
			const struct xdpc_sym *ms_sym = NULL;

			for (k = 0; k < obj->nb_syms; k++)
				if ((int)obj->syms[k].shndx == obj->maps_shndx &&
				    strcmp(obj->syms[k].name,
					    obj->maps[m].name) == 0)
					ms_sym = &obj->syms[k];
			if (ms_sym != NULL && obj->maps[m].values_off >= 0 &&
			    r->insn >= ms_sym->value +
				obj->maps[m].values_off &&
			    r->insn < ms_sym->value + RTE_MAX(ms_sym->size,
				(uint64_t)obj->maps[m].values_off + 8 *
				obj->maps[m].def.max_entries)) {
				ms = &obj->maps[m];
				idx = (r->insn - ms_sym->value -
					ms->values_off) / 8;
				break;
			}
		}
		if (ms == NULL) {
			xdpc_err(err, err_len,
				"%s: .maps: relocation against %s outside any map's .values",
				obj->path, tgt->name);
			return -EINVAL;
		}
		if (ms->def.type == RTE_XDP_MAP_PROG_ARRAY) {
			struct rte_xdp_prog *p = rte_xdp_obj_find_prog(obj,
				tgt->name);

			if (p == NULL || p->bpf == NULL)
				continue;	/* not loaded: slot left empty */
			ret = xdpc_prog_array_set(ms->map, idx, p);
		} else {
			for (k = 0; k < obj->nb_maps; k++)
				if (strcmp(obj->maps[k].name, tgt->name) == 0)
					id = rte_xdp_map_id(obj->maps[k].map);
			ret = id == 0 ? -ENOENT :
				rte_xdp_map_update(ms->map, &idx, &id, 0);
		}
		if (ret != 0) {
			xdpc_err(err, err_len,
				"%s: map %s: .values[%u] = %s: %s", obj->path,
				ms->name, idx, tgt->name, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/* xdp_prog.c */
int xdpc_prog_load(struct rte_xdp_prog *prog, char *err, size_t err_len);
void xdpc_prog_unload(struct rte_xdp_prog *prog);
int xdpc_kernel_verify(struct rte_xdp_obj *obj, char *err, size_t err_len);

int
rte_xdp_obj_load(struct rte_xdp_obj *obj, char *err, size_t err_len)
{
	uint32_t i;
	int ret, verified;

	if (obj->loaded)
		return -EBUSY;
	for (i = 0; i < obj->nb_maps; i++)
		if (obj->maps[i].def.max_entries == 0) {
			xdpc_err(err, err_len,
				"%s: map %s: max_entries is 0, to be set before load (rte_xdp_obj_set_max_entries(), dpdk-xdp prog load OBJ map name %s max_entries N)",
				obj->path, obj->maps[i].name, obj->maps[i].name);
			return -EINVAL;
		}
	verified = xdpc_kernel_verify(obj, err, err_len);
	if (verified < 0)
		return verified;
	ret = create_maps(obj, err, err_len);
	if (ret != 0)
		goto fail;
	for (i = 0; i < obj->nb_progs; i++) {
		if (!obj->progs[i].autoload)
			continue;
		ret = xdpc_prog_load(&obj->progs[i], err, err_len);
		if (ret != 0)
			goto fail;
		obj->progs[i].verified_by_kernel |= verified > 0;
	}
	xdpc_kernel_maps_close(obj);
	ret = init_slots(obj, err, err_len);
	if (ret != 0)
		goto fail;
	obj->loaded = 1;
	return 0;
fail:
	xdpc_kernel_maps_close(obj);
	for (i = 0; i < obj->nb_progs; i++)
		xdpc_prog_unload(&obj->progs[i]);
	for (i = 0; i < obj->nb_maps; i++) {
		rte_xdp_map_free(obj->maps[i].map);
		obj->maps[i].map = NULL;
	}
	return ret;
}

void
rte_xdp_obj_close(struct rte_xdp_obj *obj)
{
	uint32_t i;

	if (obj == NULL)
		return;
	for (i = 0; i < obj->nb_progs; i++)
		xdpc_prog_unload(&obj->progs[i]);
	for (i = 0; i < obj->nb_maps; i++) {
		rte_xdp_map_free(obj->maps[i].map);
		free(obj->maps[i].init);
	}
	for (i = 0; i < obj->nb_secs; i++) {
		free(obj->secs[i].name);
		free((void *)(uintptr_t)obj->secs[i].ins);
		free(obj->secs[i].rel);
	}
	for (i = 0; i < obj->nb_syms; i++)
		free(obj->syms[i].name);
	free(obj->syms);
	free(obj->map_rels);
	free(obj->secs);
	free(obj->maps);
	free(obj->progs);
	free(obj->elf_buf);
	free(obj);
}

unsigned int
rte_xdp_obj_nb_progs(const struct rte_xdp_obj *obj)
{
	return obj->nb_progs;
}

struct rte_xdp_prog *
rte_xdp_obj_prog(const struct rte_xdp_obj *obj, unsigned int i)
{
	return i < obj->nb_progs ? &obj->progs[i] : NULL;
}

struct rte_xdp_prog *
rte_xdp_obj_find_prog(const struct rte_xdp_obj *obj, const char *name)
{
	uint32_t i;

	for (i = 0; i < obj->nb_progs; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return &obj->progs[i];
	for (i = 0; i < obj->nb_progs; i++)
		if (strcmp(obj->progs[i].section, name) == 0)
			return &obj->progs[i];
	return NULL;
}

unsigned int
rte_xdp_obj_nb_maps(const struct rte_xdp_obj *obj)
{
	return obj->nb_maps;
}

struct rte_xdp_map *
rte_xdp_obj_map(const struct rte_xdp_obj *obj, unsigned int i)
{
	return i < obj->nb_maps ? obj->maps[i].map : NULL;
}

struct rte_xdp_map *
rte_xdp_obj_find_map(const struct rte_xdp_obj *obj, const char *name)
{
	uint32_t i;

	for (i = 0; i < obj->nb_maps; i++)
		if (strcmp(obj->maps[i].name, name) == 0)
			return obj->maps[i].map;
	return NULL;
}

int
rte_xdp_prog_info(const struct rte_xdp_prog *prog,
	struct rte_xdp_prog_info *info)
{
	memset(info, 0, sizeof(*info));
	info->name = prog->name;
	info->section = prog->section;
	info->license = prog->obj->license;
	info->nb_insns = prog->nb_insns;
	info->nb_xlated = prog->nb_xlated;
	info->jited_size = prog->jited_size;
	info->jit = prog->jited_size != 0 ? xdpc_jit_name() : NULL;
	info->frags = prog->frags;
	info->verified_by_kernel = prog->verified_by_kernel;
	info->attach = prog->attach;
	info->loaded = prog->bpf != NULL;
	info->nb_clamps = prog->nb_clamps;
	info->clamp_limit = prog->clamp_limit;
	info->nb_spills = prog->nb_spills;
	info->pkt_window = prog->pkt_window;
	info->id = prog->id;
	return 0;
}

int
rte_xdp_prog_check_dev_attach(const struct rte_xdp_prog *prog, char *err,
	size_t err_len)
{
	/* the kernel's names of the expected attach types */
	static const char *const attach_type[] = {
		[RTE_XDP_ATTACH_DEVMAP] = "BPF_XDP_DEVMAP",
		[RTE_XDP_ATTACH_CPUMAP] = "BPF_XDP_CPUMAP",
	};

	if (prog == NULL) {
		xdpc_err(err, err_len, "no program");
		return -EINVAL;
	}
	if (prog->attach == RTE_XDP_ATTACH_RX)
		return 0;
	/* dev_xdp_install(): the extack message, -EINVAL */
	xdpc_err(err, err_len, "%s programs can not be attached to a device",
		attach_type[prog->attach]);
	return -EINVAL;
}

/*
 * The end of a verifier log, where the reason is: its last lines (at most
 * 4, whole lines) before the "processed N insns" statistics.
 */
const char *
xdpc_log_reason(char *log)
{
	size_t len = strlen(log);
	char *p, *stats;
	int lines = 0;

	while (len > 0 && (log[len - 1] == '\n' || log[len - 1] == ' '))
		log[--len] = '\0';
	stats = strstr(log, "\nprocessed ");
	if (stats != NULL)
		*stats = '\0';
	if (log[0] == '\0')
		return "(no verifier log)";
	for (p = log + strlen(log); p > log; p--)
		if (p[-1] == '\n' && ++lines == 4)
			break;
	return p;
}

/* The XDP program of that exact name (not a section), or NULL. */
static struct rte_xdp_prog *
kernel_verify_prog(const struct rte_xdp_obj *obj, const char *name)
{
	uint32_t i;

	for (i = 0; i < obj->nb_progs; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return &obj->progs[i];
	return NULL;
}

/*
 * Verification policy: load a copy of the object into the kernel (maps
 * created there with the same definitions) and refuse what its verifier
 * refuses, with the end of its log. The kernel is only a verifier: it is
 * given the XDP programs being loaded and nothing else (the object's
 * tracing programs, iterators... stay out), no map is pinned (libbpf
 * would pin LIBBPF_PIN_BY_NAME maps in /sys/fs/bpf, or reuse what is
 * pinned there), and closing the object releases all it created, on
 * success as on refusal. Returns 1 when the kernel accepted, 0 when
 * skipped (builtin policy, or auto without bpf()), <0 on refusal.
 */
int
xdpc_kernel_verify(struct rte_xdp_obj *obj, char *err, size_t err_len)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	struct bpf_object *bo;
	struct bpf_program *bp;
	struct bpf_map *bm;
	char *log;
	uint32_t i;
	int ret;

	if (obj->opts.verify == RTE_XDP_VERIFY_BUILTIN)
		return 0;
	ret = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, NULL);
	if (ret != 1) {
		if (obj->opts.verify == RTE_XDP_VERIFY_AUTO)
			return 0;
		xdpc_err(err, err_len,
			"%s: kernel verification required but bpf() is not permitted",
			obj->path);
		return -EPERM;
	}
	if (obj->legacy)	/* libbpf 1.x cannot open it: each program */
		return 0;	/* is verified once linked (xdp_legacy.c) */
	log = calloc(1, 1 << 20);
	if (log == NULL)
		return -ENOMEM;
	oo.kernel_log_buf = log;
	oo.kernel_log_size = 1 << 20;
	bo = open_libbpf(obj, &oo);
	if (bo == NULL) {
		free(log);
		xdpc_err(err, err_len, "%s: libbpf cannot open object",
			obj->path);
		return -EINVAL;
	}
	bpf_object__for_each_program(bp, bo) {
		struct rte_xdp_prog *p = kernel_verify_prog(obj,
			bpf_program__name(bp));

		if (p == NULL || !p->autoload)
			bpf_program__set_autoload(bp, false);
		else if (bpf_program__type(bp) == BPF_PROG_TYPE_UNSPEC)
			bpf_program__set_type(bp, BPF_PROG_TYPE_XDP);
	}
	bpf_object__for_each_map(bm, bo) {
		bpf_map__set_pin_path(bm, NULL);
		for (i = 0; i < obj->nb_maps; i++)
			if (strcmp(obj->maps[i].name, bpf_map__name(bm)) == 0 &&
			    !obj->maps[i].internal)
				bpf_map__set_max_entries(bm,
					obj->maps[i].def.max_entries);
	}
	RTE_PER_LCORE(libbpf_last)[0] = '\0';
	ret = bpf_object__load(bo);
	if (ret != 0) {
		const char *why = xdpc_log_reason(log);

		if (strcmp(why, "(no verifier log)") == 0 &&
		    RTE_PER_LCORE(libbpf_last)[0] != '\0')
			why = RTE_PER_LCORE(libbpf_last);
		xdpc_err(err, err_len, "%s: kernel verifier refused the object (%s):\n%s",
			obj->path, strerror(-ret), why);
		ret = -EACCES;
	} else {
		ret = 1;
	}
	bpf_object__close(bo);
	free(log);
	return ret;
}
