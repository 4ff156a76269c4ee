"""Rectification (整改销号: problem, task and responsibility lists) and standardization acceptance
(申请 → 评估 → 验收, with a recorded random on-site check sample). Tortoise app ``rectification``."""
