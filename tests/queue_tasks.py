"""Stand-ins for a workbook's work, run by the web server's queue in its worker processes (a
module of its own so that the workers can import it)."""
import time
from pathlib import Path

from perfeval.batch import OK, Record


def nap(task):
    """Work that takes the seconds its file's name says ("2.xlsx": two seconds) and no processor."""
    time.sleep(float(Path(task.path).stem))
    return [Record(task.path, OK)]
