"""The Dinas outcomes dashboard: figures for a period and region, SVG charts, CSV/XLSX exports."""
