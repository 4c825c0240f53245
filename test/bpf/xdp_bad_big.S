/* SPDX-License-Identifier: BSD-3-Clause */
/* Negative test: one instruction more than the 1,000,000 both the kernel
 * and the runtime accept. */
	.section xdp,"ax",@progbits
	.globl	xdp_bad_big
	.type	xdp_bad_big,@function
xdp_bad_big:
	.rept	1000000
	r0 = 2
	.endr
	exit
	.size	xdp_bad_big, .-xdp_bad_big

	.section license,"aw",@progbits
	.asciz	"Dual BSD/GPL"
