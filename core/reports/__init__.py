"""The quarterly party-work report (党建工作季度报表)."""
