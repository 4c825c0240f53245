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

#include <bpf/libbpf.h>

#include <rte_errno.h>
#include <rte_malloc.h>
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

static int
libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[512];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	XDPC_LOG(DEBUG, "libbpf: %s", buf);
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
				obj->syms[i].value = s.st_value;
				obj->syms[i].size = s.st_size;
			}
			obj->nb_syms = n;
		}
	}
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
		if (tgt->ins == NULL)
			continue;	/* e.g. .rel.BTF.ext */
		d = elf_getdata(scn, NULL);
		if (d == NULL)
			continue;
		n = d->d_size / sizeof(Elf64_Rel);
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
out:
	if (elf != NULL)
		elf_end(elf);
	return ret;
}

static int
find_sec(const struct rte_xdp_obj *obj, const char *name)
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
	sec = find_sec(obj, dot);
	if (sec >= 0)
		return sec;
	for (i = 0; i < obj->nb_secs; i++)
		if (obj->secs[i].name != NULL &&
		    strncmp(obj->secs[i].name, dot, strlen(dot)) == 0)
			return i;
	return -1;
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
	bo = bpf_object__open_file(obj->path, NULL);
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
		struct rte_xdp_prog *p = &obj->progs[obj->nb_progs];
		const char *sname = bpf_program__section_name(bp);
		uint32_t i;
		int sec;

		if (bpf_program__type(bp) != BPF_PROG_TYPE_XDP) {
			XDPC_LOG(INFO, "%s: program %s in section %s is not XDP, skipped",
				obj->path, bpf_program__name(bp), sname);
			continue;
		}
		p->obj = obj;
		strlcpy(p->name, bpf_program__name(bp), sizeof(p->name));
		strlcpy(p->section, sname, sizeof(p->section));
		p->frags = (bpf_program__flags(bp) & BPF_F_XDP_HAS_FRAGS) != 0;
		p->autoload = 1;
		switch (bpf_program__expected_attach_type(bp)) {
		case BPF_XDP_DEVMAP:
			p->attach = RTE_XDP_ATTACH_DEVMAP;
			break;
		case BPF_XDP_CPUMAP:
			p->attach = RTE_XDP_ATTACH_CPUMAP;
			break;
		default:
			p->attach = RTE_XDP_ATTACH_RX;
			break;
		}
		sec = find_sec(obj, sname);
		if (sec < 0 || obj->secs[sec].ins == NULL) {
			xdpc_err(err, err_len, "%s: section %s not found",
				obj->path, sname);
			ret = -EINVAL;
			goto out;
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
			ret = -EINVAL;
			goto out;
		}
		p->start = obj->syms[i].value / sizeof(struct xinsn);
		p->len = obj->syms[i].size / sizeof(struct xinsn);
		p->nb_insns = p->len;
		obj->nb_progs++;
	}
	if (obj->nb_progs == 0) {
		xdpc_err(err, err_len, "%s: no XDP program in object",
			obj->path);
		ret = -ENOENT;
	}
out:
	bpf_object__close(bo);
	return ret;
}

struct rte_xdp_obj *
rte_xdp_obj_open(const char *path, const struct rte_xdp_obj_opts *opts,
	char *err, size_t err_len)
{
	struct rte_xdp_obj *obj;
	int ret;

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
	ret = read_file(path, &obj->elf_buf, &obj->elf_size);
	if (ret != 0) {
		xdpc_err(err, err_len, "%s: %s", path, strerror(-ret));
		goto fail;
	}
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
		ms->map = rte_xdp_map_create(ms->name, &ms->def,
			obj->opts.socket_id);
		if (ms->map == NULL) {
			xdpc_err(err, err_len, "%s: map %s (type %u): %s",
				obj->path, ms->name, ms->def.type,
				rte_errno == ENOTSUP ? "map type not supported" :
				rte_strerror(rte_errno));
			return -rte_errno;
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
		obj->progs[i].verified_by_kernel = verified > 0;
	}
	obj->loaded = 1;
	return 0;
fail:
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
	info->frags = prog->frags;
	info->verified_by_kernel = prog->verified_by_kernel;
	info->attach = prog->attach;
	info->loaded = prog->bpf != NULL;
	info->nb_clamps = prog->nb_clamps;
	info->clamp_limit = prog->clamp_limit;
	info->nb_spills = prog->nb_spills;
	info->pkt_window = prog->pkt_window;
	return 0;
}

/*
 * The end of a verifier log, where the reason is: its last lines (at most
 * 4, whole lines) before the "processed N insns" statistics.
 */
static const char *
log_reason(char *log)
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

/*
 * Verification policy: load a copy of the object into the kernel (maps
 * created there with the same definitions) and refuse what its verifier
 * refuses, with the end of its log. Returns 1 when the kernel accepted,
 * 0 when skipped (builtin policy, or auto without bpf()), <0 on refusal.
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
	log = calloc(1, 1 << 20);
	if (log == NULL)
		return -ENOMEM;
	oo.kernel_log_buf = log;
	oo.kernel_log_size = 1 << 20;
	bo = bpf_object__open_file(obj->path, &oo);
	if (bo == NULL) {
		free(log);
		xdpc_err(err, err_len, "%s: libbpf cannot open object",
			obj->path);
		return -EINVAL;
	}
	bpf_object__for_each_program(bp, bo) {
		struct rte_xdp_prog *p = rte_xdp_obj_find_prog(obj,
			bpf_program__name(bp));

		if (p != NULL && !p->autoload)
			bpf_program__set_autoload(bp, false);
	}
	bpf_object__for_each_map(bm, bo)
		for (i = 0; i < obj->nb_maps; i++)
			if (strcmp(obj->maps[i].name, bpf_map__name(bm)) == 0 &&
			    !obj->maps[i].internal)
				bpf_map__set_max_entries(bm,
					obj->maps[i].def.max_entries);
	ret = bpf_object__load(bo);
	if (ret != 0) {
		xdpc_err(err, err_len, "%s: kernel verifier refused the object (%s):\n%s",
			obj->path, strerror(-ret), log_reason(log));
		ret = -EACCES;
	} else {
		ret = 1;
	}
	bpf_object__close(bo);
	free(log);
	return ret;
}
