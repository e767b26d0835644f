# SPDX-License-Identifier: GPL-2.0-only
#
# Sphinx configuration of the module's reference (doc/bullet.rst). Built by `./ns3 docs`,
# which first writes doc/generated/ (the attribute and trace source tables) and then runs
#   sphinx-build -W -b html doc build/doc/html
# with Debian's python3-sphinx and its default theme, alabaster: no other package is needed.

project = "ns3-bullet"
author = "ns3-bullet contributors"
copyright = "ns3-bullet contributors, GPL-2.0-only"
release = "0.1"

# The reference is one ns-3-style chapter; its page is bullet.html.
root_doc = "bullet"
source_suffix = {".rst": "restructuredtext"}

# The Markdown pages (doc/*.md: measurement notes, guides) and the labs are read on GitHub or
# in a checkout, not by Sphinx; the generated tables are included by bullet.rst, not pages
# of their own.
exclude_patterns = ["*.md", "labs", "generated"]

highlight_language = "none"
pygments_style = "sphinx"
# Tables and figures get numbers, as in ns-3's model library.
numfig = True

html_theme = "alabaster"
html_theme_options = {
    "page_width": "1180px",
    "sidebar_width": "240px",
    "description": "Bullet and Bullet' for ns-3",
    "show_relbars": False,
    # Commands and code fit the column without scrolling at this size.
    "code_font_size": "0.8em",
}
html_sidebars = {"**": ["about.html", "localtoc.html", "searchbox.html"]}
html_title = "ns3-bullet reference"
html_static_path = []
html_show_sourcelink = False
