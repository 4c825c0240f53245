/* SPDX-License-Identifier: BSD-3-Clause */
/* Negative test: a conditional jump as the first instruction, whose
 * fall-through path (the one taken: the context is never NULL) reads
 * 6000 bytes past data, beyond any buffer window. rte_bpf 22.11's
 * validator never walks the second edge of a jump at instruction 0: the
 * program must be refused all the same. */
	.section xdp,"ax",@progbits
	.globl	xdp_bad_first
	.type	xdp_bad_first,@function
xdp_bad_first:
	if r1 == 0 goto 1f
	r2 = *(u32 *)(r1 + 0)
	r0 = *(u8 *)(r2 + 6000)
	exit
1:
	r0 = 2
	exit
	.size	xdp_bad_first, .-xdp_bad_first

	.section license,"aw",@progbits
	.asciz	"Dual BSD/GPL"
