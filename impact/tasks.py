"""Where queued tasks were defined before ``impact`` was split into sub-packages.

The task queue stores each task by its import path (``impact.tasks.render_report_export``), so
tasks queued before the move still find their function here. New tasks are queued from
:mod:`impact.reports.tasks`.
"""

from impact.reports.tasks import render_report_export, take_snapshots_task

__all__ = ["render_report_export", "take_snapshots_task"]
