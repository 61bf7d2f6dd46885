"""The figures label years as whole years and explain their colours."""

from __future__ import annotations

import re

import networkx as nx
import pandas as pd
import pytest

from graph.analysis import plots
from graph.analysis.measures import communities

YEAR = re.compile(r"^\d{4}$")


def _tick_labels(fig, axis: str = "x") -> list[str]:
    fig.draw_without_rendering()
    ax = fig.axes[0]
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [label.get_text() for label in labels if label.get_text()]


@pytest.mark.parametrize("years", [[2019], [2019, 2020], [2016, 2017, 2018], list(range(1995, 2024))])
def test_timeline_ticks_are_whole_years(years):
    frame = pd.DataFrame(
        {"year": years, "agreements": [3] * len(years), "dated_by_signing": [1] * len(years)}
    )
    fig = plots.timeline(frame)
    labels = _tick_labels(fig)
    assert labels and all(YEAR.match(label) for label in labels), labels
    assert len(labels) == len(set(labels)) <= 12
    assert set(labels) <= {str(y) for y in years}
    assert all(float(t).is_integer() for t in _tick_labels(fig, "y"))
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["all instruments", "dated by their signing"]


def _instruments(spans: list[list[tuple[str, str]]]) -> nx.MultiDiGraph:
    typed = nx.MultiDiGraph()
    for number, reports in enumerate(spans):
        typed.add_node(
            f"a{number}",
            type="agreement",
            label=f"instrument {number}",
            reports=[{"release_date": day, "event": event} for day, event in reports],
        )
    return typed


def test_instrument_events_label_whole_years_and_name_the_events():
    typed = _instruments(
        [
            [("2015-03-02", "signed"), ("2016-07-01", "in-force")],
            [("2017-11-20", "signed"), ("2021-05-05", "renewed")],
            [("2019-06-30", "announced")],
        ]
    )
    fig = plots.instrument_events(typed)
    labels = _tick_labels(fig)
    assert labels and all(YEAR.match(label) for label in labels), labels
    assert len(labels) == len(set(labels))
    legend = {t.get_text() for t in fig.axes[0].get_legend().get_texts()}
    assert legend == {"signed", "in-force", "renewed", "announced"}


def test_instrument_events_within_a_year_show_no_fractional_years():
    typed = _instruments([[("2019-02-01", "signed"), ("2019-09-15", "in-force")]])
    labels = _tick_labels(plots.instrument_events(typed))
    assert labels and not any(re.match(r"^\d{4}\.\d", label) for label in labels), labels


def test_community_map_has_a_legend_of_its_colours():
    countries = nx.Graph()
    for code in ("PAN", "USA", "MEX", "GTM", "HND", "ESP", "FRA"):
        countries.add_node(code, label=code, code=code)
    countries.add_edges_from([("PAN", "USA"), ("USA", "MEX"), ("MEX", "PAN"), ("GTM", "HND"), ("ESP", "FRA")])
    found = communities(countries, seed=1)
    fig = plots.community_map(countries, found)
    legend = fig.axes[0].get_legend()
    assert legend is not None
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts == [f"community {row.community} ({row.size} countries)" for row in found.itertuples()]
    colours = {tuple(handle.get_color()) for handle in legend.legend_handles}
    assert len(colours) == len(found)
