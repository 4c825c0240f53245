/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_obj_mutate: the fuzz_obj harness with a structure-aware mutator.
 * Inputs start as the valid objects built in build/test/bpf/ (seed
 * corpus); the mutator keeps the ELF header and section table intact and
 * changes what the loader interprets: instructions of executable sections
 * (opcode, registers, offset, immediate; swaps), relocations (target
 * instruction, symbol), symbols (value, size, section), and the words of
 * .maps, BTF and the other data sections (map definitions, global data).
 * An input that is not an ELF64 little-endian object falls back to
 * libFuzzer's own mutations.
 */

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
	unsigned int seed);

#define MAX_REGIONS 64

enum region_kind { R_INSN, R_REL, R_SYM, R_DATA };

struct region {
	enum region_kind kind;
	size_t off, size;
};

struct elf_view {
	struct region r[MAX_REGIONS];
	unsigned int n;
	unsigned int nb_syms;
};

static uint32_t rng;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static uint32_t
below(uint32_t n)
{
	return n == 0 ? 0 : rnd() % n;
}

static int
in_file(size_t off, size_t len, size_t size)
{
	return off <= size && len <= size - off;
}

/* The sections worth mutating, from an intact section table. */
static int
parse(const uint8_t *d, size_t size, struct elf_view *v)
{
	Elf64_Ehdr eh;
	unsigned int i;

	v->n = 0;
	v->nb_syms = 0;
	if (size < sizeof(eh))
		return -1;
	memcpy(&eh, d, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(eh.e_shoff, (size_t)eh.e_shnum * sizeof(Elf64_Shdr), size))
		return -1;
	for (i = 1; i < eh.e_shnum && v->n < MAX_REGIONS; i++) {
		Elf64_Shdr sh;
		enum region_kind k;

		memcpy(&sh, d + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (sh.sh_type == SHT_NOBITS || sh.sh_size == 0 ||
		    !in_file(sh.sh_offset, sh.sh_size, size))
			continue;
		if (sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_EXECINSTR))
			k = R_INSN;
		else if (sh.sh_type == SHT_REL)
			k = R_REL;
		else if (sh.sh_type == SHT_SYMTAB) {
			k = R_SYM;
			v->nb_syms = sh.sh_size / sizeof(Elf64_Sym);
		} else if (sh.sh_type == SHT_PROGBITS)
			k = R_DATA;	/* .maps, .BTF, .data, .rodata, license */
		else
			continue;
		v->r[v->n].kind = k;
		v->r[v->n].off = sh.sh_offset;
		v->r[v->n].size = sh.sh_size;
		v->n++;
	}
	return v->n != 0 ? 0 : -1;
}

static const struct region *
pick(const struct elf_view *v, enum region_kind k)
{
	unsigned int i, n = 0, c;

	for (i = 0; i < v->n; i++)
		n += v->r[i].kind == k;
	if (n == 0)
		return NULL;
	c = below(n);
	for (i = 0; i < v->n; i++)
		if (v->r[i].kind == k && c-- == 0)
			return &v->r[i];
	return NULL;
}

static int32_t
interesting32(void)
{
	static const int32_t vals[] = {
		0, 1, -1, 2, 4, 8, 14, 16, 31, 32, 63, 64, 255, 256, 512,
		1024, 4096, 65535, 65536, 0x7fffffff, INT32_MIN, -2, -4, -8,
		-256, -512, 1000000,
	};

	return vals[below(sizeof(vals) / sizeof(vals[0]))];
}

/* BPF opcodes the loader and rte_bpf know, and a few they do not. */
static uint8_t
opcode(void)
{
	static const uint8_t ops[] = {
		0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f,
		0x57, 0x5f, 0x67, 0x6f, 0x77, 0x7f, 0x87, 0x97, 0x9f, 0xa7,
		0xaf, 0xb7, 0xbf, 0xc7, 0xcf, 0xd4, 0xdc,		/* ALU64 */
		0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c,
		0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x84, 0x94, 0x9c, 0xa4,
		0xac, 0xb4, 0xbc, 0xc4, 0xcc,				/* ALU */
		0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55,
		0x5d, 0x65, 0x6d, 0x75, 0x7d, 0xa5, 0xad, 0xb5, 0xbd, 0xc5,
		0xcd, 0xd5, 0xdd, 0x85, 0x95,				/* JMP */
		0x06, 0x16, 0x1e, 0x26, 0x2e, 0x36, 0x3e, 0x56, 0x5e, 0xa6,
		0xae, 0xb6, 0xbe,					/* JMP32 */
		0x18, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50,		/* LD */
		0x61, 0x69, 0x71, 0x79, 0x62, 0x6a, 0x72, 0x7a,
		0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb,			/* LDX/ST/STX/atomics */
		0x00, 0xff, 0x8d, 0xe5,
	};

	return ops[below(sizeof(ops))];
}

static void
mutate_insn(uint8_t *d, const struct region *r)
{
	size_t n = r->size / 8, i;
	uint8_t *insn;
	int32_t imm;
	int16_t off;

	if (n == 0)
		return;
	i = below(n);
	insn = d + r->off + i * 8;
	switch (below(8)) {
	case 0:
		insn[0] = opcode();
		break;
	case 1:	/* dst_reg */
		insn[1] = (insn[1] & 0xf0) | below(below(4) == 0 ? 16 : 11);
		break;
	case 2:	/* src_reg: registers, or BPF_PSEUDO_* for calls, ld_imm64 */
		insn[1] = (insn[1] & 0x0f) | (below(below(4) == 0 ? 16 : 11) << 4);
		break;
	case 3:
		memcpy(&off, insn + 2, 2);
		off = below(2) ? (int16_t)(off + (int)below(17) - 8) :
			(int16_t)interesting32();
		memcpy(insn + 2, &off, 2);
		break;
	case 4:
		memcpy(&imm, insn + 4, 4);
		imm = below(2) ? (int32_t)((uint32_t)imm + below(17) - 8) :
			interesting32();
		memcpy(insn + 4, &imm, 4);
		break;
	case 5:	/* helper id */
		if (below(2))
			insn[0] = 0x85, insn[1] = 0;
		imm = below(220);
		memcpy(insn + 4, &imm, 4);
		break;
	case 6: {	/* swap two instructions */
		uint8_t tmp[8];
		size_t j = below(n);

		memcpy(tmp, insn, 8);
		memcpy(insn, d + r->off + j * 8, 8);
		memcpy(d + r->off + j * 8, tmp, 8);
		break;
	}
	default:	/* copy one instruction over another */
		memcpy(insn, d + r->off + below(n) * 8, 8);
		break;
	}
}

static void
mutate_rel(uint8_t *d, const struct region *r, unsigned int nb_syms)
{
	size_t n = r->size / sizeof(Elf64_Rel);
	Elf64_Rel rel;
	uint8_t *p;

	if (n == 0)
		return;
	p = d + r->off + below(n) * sizeof(rel);
	memcpy(&rel, p, sizeof(rel));
	switch (below(3)) {
	case 0:
		rel.r_offset = below(2) ? rel.r_offset + 8 * ((int)below(5) - 2) :
			(Elf64_Addr)(uint32_t)interesting32();
		break;
	case 1:
		rel.r_info = ELF64_R_INFO(below(nb_syms + 2),
			ELF64_R_TYPE(rel.r_info));
		break;
	default:
		rel.r_info = ELF64_R_INFO(ELF64_R_SYM(rel.r_info), below(12));
		break;
	}
	memcpy(p, &rel, sizeof(rel));
}

static void
mutate_sym(uint8_t *d, const struct region *r)
{
	size_t n = r->size / sizeof(Elf64_Sym);
	Elf64_Sym s;
	uint8_t *p;

	if (n == 0)
		return;
	p = d + r->off + below(n) * sizeof(s);
	memcpy(&s, p, sizeof(s));
	switch (below(4)) {
	case 0:
		s.st_value = below(2) ? s.st_value + 8 * ((int)below(5) - 2) :
			(Elf64_Addr)(uint32_t)interesting32();
		break;
	case 1:
		s.st_size = below(2) ? s.st_size + 8 * ((int)below(5) - 2) :
			(uint64_t)(uint32_t)interesting32();
		break;
	case 2:
		s.st_shndx = below(2) ? s.st_shndx + (int)below(3) - 1 :
			(uint16_t)interesting32();
		break;
	default:
		s.st_info = ELF64_ST_INFO(below(3), below(5));
		break;
	}
	memcpy(p, &s, sizeof(s));
}

/* A 32-bit word of a data section: map definitions in .maps and BTF
 * (type ids, array lengths = max_entries, sizes), global data. */
static void
mutate_data(uint8_t *d, const struct region *r)
{
	size_t n = r->size / 4;
	uint32_t w;
	uint8_t *p;

	if (n == 0)
		return;
	p = d + r->off + below(n) * 4;
	memcpy(&w, p, 4);
	w = below(2) ? w + (int32_t)below(5) - 2 : (uint32_t)interesting32();
	memcpy(p, &w, 4);
}

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
		unsigned int seed)
{
	struct elf_view v;
	const struct region *r = NULL;
	unsigned int k, rounds;

	rng = seed != 0 ? seed : 1;
	if (parse(data, size, &v) != 0 || below(16) == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	rounds = 1 + below(4);
	for (k = 0; k < rounds; k++) {
		switch (below(10)) {
		case 0: case 1: case 2: case 3:
			r = pick(&v, R_INSN);
			if (r != NULL)
				mutate_insn(data, r);
			break;
		case 4: case 5:
			r = pick(&v, R_REL);
			if (r != NULL)
				mutate_rel(data, r, v.nb_syms);
			break;
		case 6:
			r = pick(&v, R_SYM);
			if (r != NULL)
				mutate_sym(data, r);
			break;
		case 7: case 8:
			r = pick(&v, R_DATA);
			if (r != NULL)
				mutate_data(data, r);
			break;
		default: {
			/* libFuzzer's byte mutations inside one section */
			r = &v.r[below(v.n)];
			LLVMFuzzerMutate(data + r->off, r->size, r->size);
			break;
		}
		}
	}
	return size;
}
