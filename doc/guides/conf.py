# SPDX-License-Identifier: BSD-3-Clause
project = 'mvneta_xdp'
master_doc = 'index'
html_theme = 'alabaster'
