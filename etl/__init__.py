"""ETL: edition configs, reference geography, territory resolution, warehouse build."""
