/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * prog dump xlated (see xlated_dumper.h). Source lines and function
 * prototypes come from the object's .BTF.ext (line_info, func_info), read
 * with libelf and libbpf's BTF parser; the instructions rte_bpf runs carry the
 * section and index of the object instruction they came from, which is
 * what those records are keyed by.
 */

#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <rte_string_fns.h>

#include "bpf_disasm.h"
#include "main.h"
#include "xlated_dumper.h"

#define BTF_EXT_MAGIC 0xeB9F
#define INSN_SZ 8

/* One ELF section's records in .BTF.ext: (insn_off, ...) u32 words. */
struct btf_recs {
	uint32_t sec_name_off;
	const uint8_t *rec;
	uint32_t nb, rec_size;
};

struct btf_lines {
	struct btf *btf;
	uint8_t *ext;		/* .BTF.ext */
	struct btf_recs *lines, *funcs;
	uint32_t nb_lines, nb_funcs;
};

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * A .BTF.ext info block: rec_size, then per section (name, count,
 * records). Blocks and records past the data are refused.
 */
static int
parse_info(const uint8_t *p, uint32_t len, uint32_t min_rec,
	struct btf_recs **out, uint32_t *nb)
{
	const uint8_t *end = p + len;
	struct btf_recs *r, *nr;
	uint32_t rec_size;

	*out = NULL;
	*nb = 0;
	if (len < 4)
		return 0;
	rec_size = rd32(p);
	p += 4;
	if (rec_size < min_rec)
		return -1;
	while (end - p >= 8) {
		uint32_t n = rd32(p + 4);

		if ((uint64_t)n * rec_size > (uint64_t)(end - p - 8))
			return -1;
		nr = realloc(*out, (*nb + 1) * sizeof(**out));
		if (nr == NULL)
			return -1;
		*out = nr;
		r = &nr[(*nb)++];
		r->sec_name_off = rd32(p);
		r->rec = p + 8;
		r->nb = n;
		r->rec_size = rec_size;
		p += 8 + (size_t)n * rec_size;
	}
	return 0;
}

static int
quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	RTE_SET_USED(level);
	RTE_SET_USED(fmt);
	RTE_SET_USED(ap);
	return 0;
}

/* A copy of the object's .BTF.ext section (libbpf 1.1 does not export
 * btf_ext__raw_data()), or NULL. */
static uint8_t *
read_btf_ext(const char *path, uint32_t *size)
{
	uint8_t *copy = NULL;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t shstrndx;
	Elf *elf;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return NULL;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf == NULL || elf_getshdrstrndx(elf, &shstrndx) != 0)
		goto out;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		const char *name;
		Elf_Data *d;

		if (gelf_getshdr(scn, &sh) == NULL)
			break;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name == NULL || strcmp(name, ".BTF.ext") != 0)
			continue;
		d = elf_getdata(scn, NULL);
		if (d == NULL || d->d_buf == NULL || d->d_size > UINT32_MAX)
			break;
		copy = malloc(d->d_size);
		if (copy != NULL) {
			memcpy(copy, d->d_buf, d->d_size);
			*size = d->d_size;
		}
		break;
	}
out:
	elf_end(elf);
	close(fd);
	return copy;
}

struct btf_lines *
btf_lines_open(const char *obj_path)
{
	libbpf_print_fn_t saved = libbpf_set_print(quiet);
	struct btf_lines *bl = calloc(1, sizeof(*bl));
	const uint8_t *raw;
	uint32_t size, hdr_len;

	if (bl == NULL || obj_path == NULL)
		goto fail;
	bl->btf = btf__parse_elf(obj_path, NULL);
	if (bl->btf == NULL)
		goto fail;
	bl->ext = read_btf_ext(obj_path, &size);
	raw = bl->ext;
	if (raw == NULL || size < 24 || (rd32(raw) & 0xffff) != BTF_EXT_MAGIC)
		goto fail;
	hdr_len = rd32(raw + 4);
	if (hdr_len < 24 || hdr_len > size)
		goto fail;
	/* offsets from the end of the header: func_info, line_info */
	if ((uint64_t)rd32(raw + 8) + rd32(raw + 12) > size - hdr_len ||
	    (uint64_t)rd32(raw + 16) + rd32(raw + 20) > size - hdr_len)
		goto fail;
	if (parse_info(raw + hdr_len + rd32(raw + 8), rd32(raw + 12), 8,
		&bl->funcs, &bl->nb_funcs) != 0 ||
	    parse_info(raw + hdr_len + rd32(raw + 16), rd32(raw + 20), 16,
		&bl->lines, &bl->nb_lines) != 0)
		goto fail;
	libbpf_set_print(saved);
	return bl;
fail:
	libbpf_set_print(saved);
	btf_lines_close(bl);
	return NULL;
}

void
btf_lines_close(struct btf_lines *bl)
{
	if (bl == NULL)
		return;
	free(bl->lines);
	free(bl->funcs);
	free(bl->ext);
	btf__free(bl->btf);
	free(bl);
}

/*
 * The record of an object instruction (section, index), or NULL. A
 * section's records are sorted by instruction, as libbpf and the kernel
 * require them.
 */
static const uint8_t *
find_rec(const struct btf_lines *bl, const struct btf_recs *recs,
	uint32_t nb, const char *section, int32_t insn)
{
	uint32_t s, lo, hi, mid, off;

	if (bl == NULL || section == NULL || insn < 0)
		return NULL;
	for (s = 0; s < nb; s++) {
		const char *name = btf__name_by_offset(bl->btf,
			recs[s].sec_name_off);

		if (name == NULL || strcmp(name, section) != 0)
			continue;
		lo = 0;
		hi = recs[s].nb;
		while (lo < hi) {
			const uint8_t *r;

			mid = lo + (hi - lo) / 2;
			r = recs[s].rec + (size_t)mid * recs[s].rec_size;
			off = rd32(r);
			if (off == (uint32_t)insn * INSN_SZ)
				return r;
			if (off < (uint32_t)insn * INSN_SZ)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

/* A type as C spells it in a prototype ("struct xdp_md *", "int"). */
static void
type_str(const struct btf *btf, uint32_t id, char *buf, size_t len)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name;
	uint16_t kind;

	if (id == 0 || t == NULL) {
		strlcpy(buf, "void", len);
		return;
	}
	name = btf__name_by_offset(btf, t->name_off);
	if (name == NULL)
		name = "";
	kind = btf_kind(t);
	switch (kind) {
	case BTF_KIND_PTR:
		type_str(btf, t->type, buf, len);
		strlcat(buf, " *", len);
		break;
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
		strlcpy(buf, kind == BTF_KIND_CONST ? "const " :
			kind == BTF_KIND_VOLATILE ? "volatile " : "restrict ",
			len);
		type_str(btf, t->type, buf + strlen(buf), len - strlen(buf));
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
		strlcpy(buf, kind == BTF_KIND_STRUCT ? "struct " :
			kind == BTF_KIND_UNION ? "union " : "enum ", len);
		strlcat(buf, name, len);
		break;
	default:
		strlcpy(buf, name[0] != '\0' ? name : "?", len);
	}
}

/* "int xdp_pass(struct xdp_md * ctx)", as bpftool prints func_info. */
static int
func_proto(const struct btf_lines *bl, const char *section, int32_t insn,
	char *buf, size_t len)
{
	const uint8_t *r = find_rec(bl, bl != NULL ? bl->funcs : NULL,
		bl != NULL ? bl->nb_funcs : 0, section, insn);
	const struct btf_type *fn, *proto;
	const struct btf_param *p;
	char t[256];
	size_t n;
	uint16_t k;

	if (r == NULL)
		return -1;
	fn = btf__type_by_id(bl->btf, rd32(r + 4));
	if (fn == NULL || btf_kind(fn) != BTF_KIND_FUNC)
		return -1;
	proto = btf__type_by_id(bl->btf, fn->type);
	if (proto == NULL || btf_kind(proto) != BTF_KIND_FUNC_PROTO)
		return -1;
	type_str(bl->btf, proto->type, t, sizeof(t));
	n = snprintf(buf, len, "%s %s(", t,
		btf__name_by_offset(bl->btf, fn->name_off));
	p = btf_params(proto);
	for (k = 0; k < btf_vlen(proto) && n < len; k++, p++) {
		const char *name = btf__name_by_offset(bl->btf, p->name_off);

		type_str(bl->btf, p->type, t, sizeof(t));
		n += snprintf(buf + n, len - n, "%s%s%s%s", k ? ", " : "", t,
			name != NULL && name[0] != '\0' ? " " : "",
			name != NULL ? name : "");
	}
	if (n < len)
		snprintf(buf + n, len - n, ")");
	return 0;
}

/* The source line record of an instruction, or NULL. */
static const uint8_t *
src_line(const struct btf_lines *bl, const struct rte_xdp_xlated_src *s)
{
	return bl == NULL ? NULL :
		find_rec(bl, bl->lines, bl->nb_lines, s->section, s->insn);
}

/* What the rewriter did, its notes joined: "a; b". */
static void
notes_str(uint32_t notes, char *buf, size_t len)
{
	size_t n = 0;
	uint32_t b;

	buf[0] = '\0';
	for (b = 0; b < RTE_XDP_XLATED_NB_NOTES && n < len; b++)
		if (notes & (1u << b))
			n += snprintf(buf + n, len - n, "%s%s", n ? "; " : "",
				rte_xdp_xlated_note(1u << b));
}

/* The source line, without its indentation, as bpftool shows it. */
static const char *
line_text(const struct btf_lines *bl, const uint8_t *l)
{
	const char *s = btf__name_by_offset(bl->btf, rd32(l + 8));

	if (s == NULL)
		return "";
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static void
print_line_json(const struct btf_lines *bl, const uint8_t *l, bool linum)
{
	jsonw_string_field(json_wtr, "src", line_text(bl, l));
	if (!linum)
		return;
	jsonw_string_field(json_wtr, "file",
		btf__name_by_offset(bl->btf, rd32(l + 4)));
	jsonw_uint_field(json_wtr, "line_num", rd32(l + 12) >> 10);
	jsonw_uint_field(json_wtr, "line_col", rd32(l + 12) & 0x3ff);
}

static void
print_line_plain(const struct btf_lines *bl, const uint8_t *l, bool linum)
{
	printf("; %s", line_text(bl, l));
	if (linum)
		printf(" [file:%s line_num:%u line_col:%u]",
			btf__name_by_offset(bl->btf, rd32(l + 4)),
			rd32(l + 12) >> 10, rd32(l + 12) & 0x3ff);
	printf("\n");
}

/* bpftool's opcodes: the raw bytes (16 for an LD_IMM64). */
static void
print_opcodes(const struct rte_xdp_insn *i, unsigned int n)
{
	const uint8_t *b = (const uint8_t *)i;
	unsigned int k;

	if (json_output) {
		jsonw_name(json_wtr, "opcodes");
		jsonw_start_object(json_wtr);
		jsonw_name(json_wtr, "code");
		jsonw_string_fmt(json_wtr, "0x%02x", i->code);
		jsonw_name(json_wtr, "src_reg");
		jsonw_string_fmt(json_wtr, "0x%x", i->src_reg);
		jsonw_name(json_wtr, "dst_reg");
		jsonw_string_fmt(json_wtr, "0x%x", i->dst_reg);
		jsonw_name(json_wtr, "off");
		jsonw_start_array(json_wtr);
		jsonw_printf(json_wtr, "\"0x%02x\"", b[2]);
		jsonw_printf(json_wtr, "\"0x%02x\"", b[3]);
		jsonw_end_array(json_wtr);
		jsonw_name(json_wtr, "imm");
		jsonw_start_array(json_wtr);
		for (k = 4; k < n * INSN_SZ; k++)
			jsonw_printf(json_wtr, "\"0x%02x\"", b[k]);
		jsonw_end_array(json_wtr);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("      ");
	for (k = 0; k < n * INSN_SZ; k++)
		printf("%s%02x", k == 0 ? " " : k % 8 == 0 ? "  " : " ",
			b[k]);
	printf("\n");
}

/*
 * The notes plain text comments on: not a map's address nor a helper's
 * call, which the kernel's translation shows the same way.
 */
#define REWRITE_NOTES (~(RTE_XDP_XLATED_INLINED | RTE_XDP_XLATED_MAP_ADDR | \
	RTE_XDP_XLATED_HELPER_CALL))

/* Instructions i and j come from the same object instruction. */
static bool
same_insn(const struct rte_xdp_xlated *x, uint32_t i, uint32_t j)
{
	return x->src[i].insn == x->src[j].insn &&
		x->src[i].section == x->src[j].section;
}

/*
 * Plain text: a comment where a rewritten sequence (the instructions
 * made from one object instruction) or an inlined call starts, naming
 * what the rewriter did and the object instruction.
 */
static void
print_notes_plain(const struct btf_lines *bl, const struct rte_xdp_xlated *x,
	uint32_t i)
{
	const struct rte_xdp_xlated_src *s = &x->src[i];
	char proto[512];
	bool prev_rw = i > 0 && (x->src[i - 1].notes & REWRITE_NOTES) != 0;
	bool start_rw = (s->notes & REWRITE_NOTES) != 0 &&
		!(prev_rw && same_insn(x, i, i - 1));
	bool start_inl = (s->notes & RTE_XDP_XLATED_INLINED) != 0 &&
		!(i > 0 && (x->src[i - 1].notes & RTE_XDP_XLATED_INLINED));
	uint32_t notes = start_inl ? RTE_XDP_XLATED_INLINED : 0, j;
	char buf[512];

	/* the entry of an inlined function: its prototype */
	if ((s->notes & RTE_XDP_XLATED_INLINED) &&
	    !(i > 0 && same_insn(x, i, i - 1)) &&
	    func_proto(bl, s->section, s->insn, proto, sizeof(proto)) == 0) {
		printf(";   [inlined %s: %s insn %d]\n", proto, s->section,
			s->insn);
		start_inl = false;
		notes = 0;
	}
	if (!start_rw && !start_inl)
		return;
	for (j = i; start_rw && j < x->nb_insns && same_insn(x, i, j) &&
	     (x->src[j].notes & REWRITE_NOTES) != 0; j++)
		notes |= x->src[j].notes & REWRITE_NOTES;
	notes_str(notes, buf, sizeof(buf));
	printf(";   [%s: %s insn %d]\n", buf, s->section, s->insn);
}

void
dump_xlated(const struct btf_lines *bl, const struct rte_xdp_xlated *x,
	unsigned int func, bool opcodes, bool linum)
{
	const uint8_t *last_line = NULL;
	char text[256], notes[512], proto[512];
	bool have_proto;
	uint32_t i, n;

	have_proto = func_proto(bl, x->section, x->start, proto,
		sizeof(proto)) == 0;
	if (!json_output) {
		if (func != 0)
			printf("; bpf_loop() callback %u (an rte_bpf program of its own)\n",
				func);
		if (have_proto)
			printf("%s:\n", proto);
	}
	for (i = 0; i < x->nb_insns; i += n) {
		const struct rte_xdp_xlated_src *s = &x->src[i];
		const uint8_t *l = src_line(bl, s);

		n = bpf_insn_str(text, sizeof(text), &x->insns[i],
			x->nb_insns - i, s);
		notes_str(s->notes, notes, sizeof(notes));
		if (l == last_line)
			l = NULL;
		if (json_output) {
			jsonw_start_object(json_wtr);
			if (i == 0 && have_proto)
				jsonw_string_field(json_wtr, "proto", proto);
			if (l != NULL)
				print_line_json(bl, l, linum);
			jsonw_string_field(json_wtr, "disasm", text);
			if (opcodes)
				print_opcodes(&x->insns[i], n);
			jsonw_string_field(json_wtr, "section", s->section);
			jsonw_int_field(json_wtr, "insn", s->insn);
			if (s->notes != 0)
				jsonw_string_field(json_wtr, "notes", notes);
			jsonw_end_object(json_wtr);
		} else {
			if (l != NULL)
				print_line_plain(bl, l, linum);
			print_notes_plain(bl, x, i);
			printf("%4u: %s\n", i, text);
			if (opcodes)
				print_opcodes(&x->insns[i], n);
		}
		if (l != NULL)
			last_line = l;
	}
}
