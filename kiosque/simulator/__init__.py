"""The publisher simulator: generated multilingual news sites served on local ports.

Used by the demo, by ingestion tests over real loopback HTTP and by benchmarks. It
imports nothing from kiosque but ``kiosque.models``, so it can stand in for the
internet without knowing how kiosque reads it.
"""

from kiosque.simulator.server import Simulator
from kiosque.simulator.sites import SimSite
from kiosque.simulator.timeline import SimArticle, generate_corpus, iter_corpus

__all__ = ["SimArticle", "SimSite", "Simulator", "generate_corpus", "iter_corpus"]
