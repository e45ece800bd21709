"""Reference data shipped with the code: regions of Indonesia and the capability taxonomy.

Pure Python (no Django): data files under `data/`, loaders in `taxonomy.py`, name matching in
`regions.py`. Data migrations call these to fill the reference tables.
"""
