"""Regenerate img/poster-pair.png: one movie, two viewers, two posters (local mode, deterministic).

Run from the repository root:  python img/make_sample.py
"""

from pathlib import Path

import taglines

HERE = Path(__file__).resolve().parent

pipeline = taglines.build_pipeline(taglines.Settings(mode="local"))
movie, users = pipeline.showcase(k=2)
comparison = pipeline.compare(movie, users)
sheet = taglines.contact_sheet(list(comparison.poster), columns=2, thumb_width=384)
sheet.save(HERE / "poster-pair.png", optimize=True)
for row in comparison.itertuples():
    print(f"{row.user_id} (likes {row.likes}) sees the {row.facet} side: {row.tagline}")
