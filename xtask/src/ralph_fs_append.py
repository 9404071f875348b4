"""Loaded by `course_ralph_fs_append.pth` in the Ralph virtual environment that `cargo xtask lrs`
installs (xtask/src/tools.rs), and active only when COURSE_RALPH_FS_APPEND=1 (the browser-test
harness sets it).

Ralph 4.0 to 5.1's file-system LRS backend (`ralph runserver -b fs`) writes every POST of
statements with the operation type CREATE, which refuses to write once `fs_lrs.jsonl` exists:
the first POST is stored, every later one fails with HTTP 500 "Statements bulk indexation
failed" (log: "fs_lrs.jsonl already exists and overwrite is not allowed"). An LRS keeps every
statement, so statements are appended instead. Nothing else of Ralph changes.
"""

import os

if os.environ.get("COURSE_RALPH_FS_APPEND") == "1":
    try:
        from ralph.backends.data.base import BaseOperationType
        from ralph.backends.lrs.fs import FSLRSBackend

        FSLRSBackend.default_operation_type = BaseOperationType.APPEND
    except ImportError:
        pass
