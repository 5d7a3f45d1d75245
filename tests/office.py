"""LibreOffice for the tests: save workbooks in the old formats units send (.xls, and WPS's .et,
which is the same BIFF8 compound file), and with an opening password. Each call has a private
profile, so that tests running at the same time never share one."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SYSTEM_PYTHON = "/usr/bin/python3"
BIFF8 = "MS Excel 97"


def save_as(sources, outdir, suffix: str) -> list[Path]:
    """Each of ``sources`` saved by LibreOffice into ``outdir`` as ``suffix`` ('xls' or 'et')."""
    outdir = Path(outdir)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([SOFFICE, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to",
                        f"{suffix}:{BIFF8}", "--outdir", str(outdir), *map(str, sources)],
                       check=True, capture_output=True, timeout=240)
    return [outdir / f"{Path(s).stem}.{suffix}" for s in sources]


UNO_SCRIPT = r'''
import os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue
src, dst, flt, password, profile = sys.argv[1:6]
pipe = "perfeval-test-%d" % os.getpid()
office = subprocess.Popen([sys.argv[6], "-env:UserInstallation=" + profile, "--headless", "--invisible",
                           "--norestore", "--accept=pipe,name=%s;urp;" % pipe],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.25)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", flt), prop("Password", password)))
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    try:
        office.wait(timeout=60)
    except subprocess.TimeoutExpired:
        office.kill()
'''


def uno_available() -> bool:
    if not SOFFICE or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


def save_xls_with_password(source, target, password: str = "123456") -> Path:
    """``source`` saved by LibreOffice as an .xls that asks for ``password`` on opening."""
    target = Path(target).resolve()
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([SYSTEM_PYTHON, "-c", UNO_SCRIPT, str(Path(source).resolve()), str(target), BIFF8, password,
                        Path(profile).as_uri(), SOFFICE], check=True, capture_output=True, timeout=240)
    return target


def save_xlsx_with_password(source, target, password: str = "123456") -> Path:
    """``source`` encrypted as Excel does when a password to open is set (agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile
    with open(source, "rb") as fh, open(target, "wb") as out:
        OOXMLFile(fh).encrypt(password, out)
    return Path(target)
