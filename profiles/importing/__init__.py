"""Bulk import of IKMs (and, through the same machinery, buyer needs) from CSV or XLSX files.

`tables` reads a file into rows, `schema` describes the columns of DESIGN.md and cleans cells,
`ikm` validates IKM rows and writes them; `batches` keeps an upload between preview and commit.
"""
