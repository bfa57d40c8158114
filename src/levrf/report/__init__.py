"""Reports: the experiments behind ``levrf demo``, ``approx`` and ``equivalence``, their plots and markdown.

* :func:`run_demo`: the paper's story on digits, written to ``report.md`` with PNG plots.
* :func:`approx_report`: spectral error of every sampler on the user's data.
* :func:`equivalence_report`: trained networks against NTK ridge regression by width.

Plots use matplotlib's Agg canvas (``levrf[plots]`` or ``levrf[cli]``); the
network parts need PyTorch (``levrf[torch]``).
"""

from .runs import DEMO_CONFIGS, approx_report, equivalence_report, run_demo

__all__ = ["DEMO_CONFIGS", "approx_report", "equivalence_report", "run_demo"]
