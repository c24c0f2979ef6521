import importlib.util
import sys

# `python -m xxgk_lint` also runs from a checkout whose dependencies were never installed
# (the readers and the parser import theirs lazily): say so instead of a traceback later
_REQUIRED = ("click", "rich", "lark", "yaml", "docx", "lxml", "pdfplumber")
_missing = [name for name in _REQUIRED if importlib.util.find_spec(name) is None]
if _missing:
    sys.stderr.write(f"xxgk-lint: 缺少依赖包 {', '.join(_missing)}，工具没有安装完整。请在仓库根目录按 README 安装："
                     "python3 -m venv .venv && .venv/bin/pip install . ，再用 .venv/bin/xxgk-lint 运行。\n"
                     f"(missing dependencies {', '.join(_missing)}: install the project as README says)\n")
    sys.exit(2)

from xxgk_lint.linter.cli import main  # noqa: E402

main()
