"""Benchmark the pure scoring core: speed and memory against the naive scorer, quality against overlap.

Prints, for one synthetic world (``--ikms`` × ``--needs``, seeded):

* NDCG@10 of the engine and of the overlap baseline (labels from the world's hidden truth), and the share
  of capabilities written only in prose that the text analysis found;
* the IKM-side preparation: text analysis (once per profile change; the service can store
  ``text.analyse()`` on the profile and pass it as ``prose_codes``/``text_tokens``) and the arrays and index
  built from it; then the scoring-alone time of ``score_pairs`` for all needs, and the end-to-end sum;
* the naive per-pair scorer timed on a sample of needs and extrapolated to all, and the speedup;
* peak memory of scoring (tracemalloc, numpy allocations included) and the process's peak RSS.

No database: the lead's ``bench_matching`` adds loading and storing around the same core.
"""

from __future__ import annotations

import gc
import resource
import time
import tracemalloc

import numpy as np
from django.core.management.base import BaseCommand, CommandParser

from matchmaking.scoring.engine import prepare_ikms, score_pairs
from matchmaking.scoring.evaluate import quality_report
from matchmaking.scoring.naive import naive_score_pairs
from matchmaking.scoring.synthetic import generate
from matchmaking.scoring.text import analyse


class Command(BaseCommand):
    help = "Benchmark the scoring engine (speed, memory, NDCG@10) on a synthetic world, without the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ikms", type=int, default=20_000)
        parser.add_argument("--needs", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--top-k", type=int, default=20)
        parser.add_argument("--naive-needs", type=int, default=10, help="needs in the naive scorer's sample")
        parser.add_argument("--repeat", type=int, default=3, help="timed runs of the engine (best is kept)")

    def handle(self, *args, **options) -> None:
        n_ikms, n_needs, seed, top_k = options["ikms"], options["needs"], options["seed"], options["top_k"]
        out = self.stdout.write

        started = time.perf_counter()
        world = generate(n_ikms, n_needs, seed)
        out(
            f"synthetic world: {n_ikms:,} IKMs x {n_needs:,} needs, seed {seed} "
            f"(generated in {time.perf_counter() - started:.1f} s)"
        )

        started = time.perf_counter()
        analyses = [analyse(text) for text in world.ikms.texts]
        analyse_seconds = time.perf_counter() - started
        world.ikms.prose_codes = [a.codes for a in analyses]  # as if stored on the profiles
        world.ikms.text_tokens = [a.tokens for a in analyses]
        started = time.perf_counter()
        prepare_ikms(world.ikms)
        prepare_seconds = time.perf_counter() - started

        runs = []
        results = []
        for _ in range(max(1, options["repeat"])):
            gc.collect()
            started = time.perf_counter()
            results = score_pairs(world.ikms, world.needs, top_k=top_k)
            runs.append(time.perf_counter() - started)
        engine_seconds = min(runs)
        pairs = n_ikms * n_needs
        candidates = float(np.mean([r.n_candidates for r in results])) if results else 0.0

        gc.collect()
        tracemalloc.start()
        score_pairs(world.ikms, world.needs, top_k=top_k)
        _, peak_bytes = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        sample = min(options["naive_needs"], n_needs)
        rng = np.random.default_rng(seed)
        sample_needs = world.needs.subset(np.sort(rng.choice(n_needs, size=sample, replace=False)))
        started = time.perf_counter()
        naive_score_pairs(world.ikms, sample_needs, top_k=top_k)
        naive_sample_seconds = time.perf_counter() - started
        naive_seconds = naive_sample_seconds * n_needs / max(sample, 1)

        report = quality_report(world, engine_results=results, k=10)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        out("")
        out("quality (labels from hidden true capabilities, graded 0-3)")
        out(f"  NDCG@10 engine            {report.ndcg_engine:.3f}")
        out(
            f"  NDCG@10 overlap baseline  {report.ndcg_overlap:.3f}   "
            f"(+{report.ndcg_engine - report.ndcg_overlap:.3f})"
        )
        out(
            f"  prose-only capabilities   {report.prose_only_capabilities:,}, found "
            f"{100 * report.prose_only_found:.1f} %  (prose-code precision {100 * report.prose_code_precision:.1f} %)"
        )
        out("")
        out("speed")
        out(f"  IKM text analysis (once per profile change)        {analyse_seconds:.2f} s")
        out(f"  IKM arrays + index from analysed profiles          {prepare_seconds:.2f} s")
        out(
            f"  scoring alone, {pairs:,} pairs, top {top_k}            {engine_seconds:.2f} s  "
            f"(best of {len(runs)}: {', '.join(f'{r:.2f}' for r in runs)}; includes the needs' text analysis)"
        )
        out(
            f"  end to end from raw texts (sum of the three)       "
            f"{analyse_seconds + prepare_seconds + engine_seconds:.2f} s"
        )
        out(
            f"  candidates per need after pruning                  {candidates:,.0f} of {n_ikms:,} "
            f"({100 * candidates / max(n_ikms, 1):.0f} %)"
        )
        out(
            f"  naive per-pair scorer, {sample} needs sampled          {naive_sample_seconds:.2f} s "
            f"-> {naive_seconds:,.0f} s extrapolated"
        )
        out(f"  speedup                                            {naive_seconds / engine_seconds:,.0f}x")
        out(
            f"  engine vs naive per pair                           {1e9 * engine_seconds / pairs:.0f} ns vs "
            f"{1e9 * naive_seconds / pairs:,.0f} ns"
        )
        out("")
        out("memory")
        out(f"  peak traced during scoring                         {peak_bytes / 2**20:,.0f} MB")
        out(f"  process peak RSS (world, texts, benchmark)         {rss_mb:,.0f} MB")
