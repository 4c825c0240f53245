/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Objects libbpf 1.x no longer opens: map definitions as
 * "struct bpf_map_def SEC("maps")" (what samples/bpf, iproute2 and older
 * tutorials built). The open phase reads them from the ELF itself:
 *  - each symbol of the "maps" section is a map whose definition is the
 *    struct bpf_map_def at its offset (type, key_size, value_size,
 *    max_entries, map_flags; later fields ignored);
 *  - .bss, .data and .rodata* become global-data maps, as libbpf makes
 *    them;
 *  - every global function of an executable section other than .text is
 *    a program; it is XDP when its section name starts with "xdp" (as
 *    libbpf 0.x read them), or when the caller forces unknown sections
 *    to XDP (force_xdp).
 * Linking, rewriting and loading are the same as for any object; the
 * kernel verifies each linked program (xdpc_kernel_verify_linked()).
 */

#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <rte_string_fns.h>

#include "xdp_compat_log.h"
#include "xdp_prog_internal.h"

/* struct bpf_map_def of libbpf 0.x and the kernel samples */
struct legacy_map_def {
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
};

static int
is_data_section(const char *name)
{
	return strcmp(name, ".bss") == 0 || strcmp(name, ".data") == 0 ||
		strcmp(name, ".rodata") == 0 ||
		strncmp(name, ".rodata.", 8) == 0 ||
		strncmp(name, ".data.", 6) == 0;
}

/* libbpf's name for a global-data map: object name prefix + section. */
static void
data_map_name(const struct rte_xdp_obj *obj, const char *sec, char *out,
	size_t len)
{
	const char *base = strrchr(obj->path, '/');
	char pfx[16];
	size_t n;

	base = base != NULL ? base + 1 : obj->path;
	n = strcspn(base, ".");
	n = RTE_MIN(n, (size_t)RTE_MAX(0, 15 - (int)strlen(sec)));
	n = RTE_MIN(n, (size_t)8);
	snprintf(pfx, sizeof(pfx), "%.*s", (int)n, base);
	snprintf(out, len, "%s%.*s", pfx, 15 - (int)strlen(pfx), sec);
}

int
xdpc_collect_legacy(struct rte_xdp_obj *obj, char *err, size_t err_len)
{
	int msec = xdpc_find_sec(obj, "maps");
	const struct xdpc_sec *ms = &obj->secs[msec];
	const uint8_t *mdata = (const uint8_t *)obj->elf_buf + ms->data_off;
	uint32_t i, k, nb_maps = 0, nb_progs = 0;
	int ret;

	obj->legacy = 1;
	obj->maps_shndx = msec;
	if (ms->sh_type == SHT_NOBITS)
		mdata = NULL;
	for (i = 0; i < obj->nb_syms; i++) {
		const struct xdpc_sym *s = &obj->syms[i];

		if ((int)s->shndx == msec && s->type != STT_SECTION &&
		    s->name[0] != '\0')
			nb_maps++;
		else if (s->shndx < obj->nb_secs && s->type == STT_FUNC &&
			 s->bind == STB_GLOBAL &&
			 obj->secs[s->shndx].ins != NULL)
			nb_progs++;
	}
	for (i = 0; i < obj->nb_secs; i++)
		if (obj->secs[i].name != NULL &&
		    is_data_section(obj->secs[i].name))
			nb_maps++;
	obj->maps = calloc(nb_maps + 1, sizeof(*obj->maps));
	obj->progs = calloc(nb_progs + 1, sizeof(*obj->progs));
	if (obj->maps == NULL || obj->progs == NULL)
		return -ENOMEM;
	for (i = 0; i < obj->nb_syms; i++) {
		const struct xdpc_sym *s = &obj->syms[i];
		struct xdpc_map_slot *slot = &obj->maps[obj->nb_maps];
		struct legacy_map_def d = { 0 };

		if ((int)s->shndx != msec || s->type == STT_SECTION ||
		    s->name[0] == '\0')
			continue;
		if (mdata == NULL || s->value >= ms->data_size ||
		    ms->data_size - s->value < 16) {
			xdpc_err(err, err_len,
				"%s: maps: %s: no struct bpf_map_def at offset %" PRIu64,
				obj->path, s->name, s->value);
			return -EINVAL;
		}
		memcpy(&d, mdata + s->value, RTE_MIN(sizeof(d),
			(size_t)(ms->data_size - s->value)));
		strlcpy(slot->name, s->name, sizeof(slot->name));
		slot->def.type = d.type;
		slot->def.key_size = d.key_size;
		slot->def.value_size = d.value_size;
		slot->def.max_entries = d.max_entries;
		slot->def.map_flags = d.map_flags;
		slot->values_off = -1;
		slot->spin_lock_off = -1;
		if (slot->def.type == RTE_XDP_MAP_PERF_EVENT_ARRAY &&
		    slot->def.max_entries == 0)
			slot->def.max_entries = rte_xdp_map_nb_cpus();
		if (slot->def.type == RTE_XDP_MAP_ARRAY_OF_MAPS ||
		    slot->def.type == RTE_XDP_MAP_HASH_OF_MAPS) {
			xdpc_err(err, err_len,
				"%s: maps: %s: a legacy map of maps has no inner map template",
				obj->path, s->name);
			return -ENOTSUP;
		}
		obj->nb_maps++;
	}
	for (i = 0; i < obj->nb_secs; i++) {
		struct xdpc_sec *sec = &obj->secs[i];
		struct xdpc_map_slot *slot = &obj->maps[obj->nb_maps];

		if (sec->name == NULL || !is_data_section(sec->name) ||
		    sec->data_size == 0)
			continue;
		data_map_name(obj, sec->name, slot->name, sizeof(slot->name));
		slot->def.type = RTE_XDP_MAP_ARRAY;
		slot->def.key_size = 4;
		slot->def.value_size = sec->data_size;
		slot->def.max_entries = 1;
		slot->internal = 1;
		slot->values_off = -1;
		slot->spin_lock_off = -1;
		strlcpy(slot->sec_name, sec->name, sizeof(slot->sec_name));
		if (sec->sh_type != SHT_NOBITS) {
			slot->init = malloc(sec->data_size);
			if (slot->init == NULL)
				return -ENOMEM;
			memcpy(slot->init, (const uint8_t *)obj->elf_buf +
				sec->data_off, sec->data_size);
			slot->init_size = sec->data_size;
		}
		sec->data_map_idx = obj->nb_maps;
		obj->nb_maps++;
	}
	for (k = 0; k < obj->nb_secs; k++) {
		const char *sname = obj->secs[k].name;
		int known;

		if (obj->secs[k].ins == NULL || sname == NULL ||
		    strcmp(sname, ".text") == 0)
			continue;
		for (i = 0; i < obj->nb_syms; i++) {
			const struct xdpc_sym *s = &obj->syms[i];

			if (s->shndx != k || s->type != STT_FUNC ||
			    s->bind != STB_GLOBAL)
				continue;
			xdpc_section_kind(sname, &known);
			if (strncmp(sname, "xdp", 3) != 0 &&
			    !(obj->opts.force_xdp && !known)) {
				xdpc_obj_not_xdp(obj, s->name, sname);
				continue;
			}
			ret = xdpc_obj_add_prog(obj, s->name, sname, 0, err,
				err_len);
			if (ret != 0)
				return ret;
		}
	}
	if (obj->nb_progs == 0) {
		xdpc_err(err, err_len, "%s: no XDP program in object%s%s",
			obj->path, obj->not_xdp[0] != '\0' ? ": " : "",
			obj->not_xdp);
		return -ENOENT;
	}
	return 0;
}

/*
 * Kernel verification of a legacy object's program: libbpf cannot load
 * the object, so the linked program (its calls inlined, its jumps and
 * map references resolved) is loaded with bpf(BPF_PROG_LOAD) itself,
 * against kernel maps created with the same definitions. Returns 1 when
 * the kernel accepted it, 0 when it was not asked to (builtin policy, or
 * auto without bpf(), or callbacks this path cannot give the kernel),
 * <0 on refusal (err: the end of the verifier's log).
 */
int
xdpc_kernel_verify_linked(struct rte_xdp_prog *prog, const struct xvec *code,
	char *err, size_t err_len)
{
	struct rte_xdp_obj *obj = prog->obj;
	LIBBPF_OPTS(bpf_prog_load_opts, po);
	struct bpf_insn *ins;
	char *log;
	uint32_t k, m;
	int fd, ret = 0;

	if (obj->opts.verify == RTE_XDP_VERIFY_BUILTIN ||
	    libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, NULL) != 1) {
		if (obj->opts.verify != RTE_XDP_VERIFY_KERNEL)
			return 0;
		xdpc_err(err, err_len,
			"%s: kernel verification required but bpf() is not permitted",
			obj->path);
		return -EPERM;
	}
	if (obj->kfds == NULL) {
		obj->kfds = malloc(sizeof(int) * (obj->nb_maps + 1));
		if (obj->kfds == NULL)
			return -ENOMEM;
		for (m = 0; m < obj->nb_maps; m++)
			obj->kfds[m] = -1;
	}
	ins = calloc(code->n + 1, sizeof(*ins));
	log = calloc(1, 1 << 20);
	if (ins == NULL || log == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	for (k = 0; k < code->n; k++) {
		const struct xins *x = &code->v[k];

		memcpy(&ins[k], &x->i, sizeof(ins[k]));
		if (x->target >= 0)
			ins[k].off = x->target - (int32_t)(k + 1);
		if (x->i.code == XB_LD_IMM64 && x->i.src_reg == XB_PSEUDO_FUNC) {
			/* its callback would have to follow: not done here */
			if (obj->opts.verify == RTE_XDP_VERIFY_KERNEL) {
				xdpc_err(err, err_len,
					"%s: section %s: kernel verification of a legacy object's bpf_loop callback is not supported",
					obj->path, prog->section);
				ret = -ENOTSUP;
			}
			goto out;
		}
		if (x->i.code != XB_LD_IMM64 || x->map == NULL)
			continue;
		for (m = 0; m < obj->nb_maps && obj->maps[m].map != x->map; m++)
			;
		if (m == obj->nb_maps)
			continue;
		if (obj->kfds[m] < 0) {
			const struct xdpc_map_slot *ms = &obj->maps[m];
			LIBBPF_OPTS(bpf_map_create_opts, mo,
				.map_flags = ms->def.map_flags);

			fd = bpf_map_create(ms->def.type, NULL, ms->def.key_size,
				ms->def.value_size, ms->def.max_entries, &mo);
			if (fd < 0) {
				xdpc_err(err, err_len,
					"%s: map %s: the kernel refused its definition (%s)",
					obj->path, ms->name, strerror(-fd));
				ret = -EACCES;
				goto out;
			}
			if (ms->init != NULL) {
				uint32_t zero = 0;

				bpf_map_update_elem(fd, &zero, ms->init, 0);
			}
			obj->kfds[m] = fd;
		}
		ins[k].imm = obj->kfds[m];
		if (x->i.src_reg == XB_PSEUDO_MAP_VALUE && k + 1 < code->n)
			ins[k + 1].imm = x->map_off;
	}
	po.log_buf = log;
	po.log_size = 1 << 20;
	po.log_level = 1;
	po.expected_attach_type = prog->attach == RTE_XDP_ATTACH_DEVMAP ?
		BPF_XDP_DEVMAP : prog->attach == RTE_XDP_ATTACH_CPUMAP ?
		BPF_XDP_CPUMAP : BPF_XDP;
	po.prog_flags = prog->frags ? BPF_F_XDP_HAS_FRAGS : 0;
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, NULL,
		obj->license[0] != '\0' ? obj->license : "GPL", ins, code->n,
		&po);
	if (fd < 0) {
		xdpc_err(err, err_len,
			"%s: section %s: kernel verifier refused the program (%s):\n%s",
			obj->path, prog->section, strerror(-fd),
			xdpc_log_reason(log));
		ret = -EACCES;
		goto out;
	}
	close(fd);
	ret = 1;
out:
	free(ins);
	free(log);
	return ret;
}

void
xdpc_kernel_maps_close(struct rte_xdp_obj *obj)
{
	uint32_t m;

	if (obj->kfds == NULL)
		return;
	for (m = 0; m < obj->nb_maps; m++)
		if (obj->kfds[m] >= 0)
			close(obj->kfds[m]);
	free(obj->kfds);
	obj->kfds = NULL;
}
