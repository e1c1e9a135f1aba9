"""Reading a Graphviz SVG back: node boxes, the y of each table row, edge end points."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass


@dataclass
class Box:
    left: float
    right: float
    top: float
    bottom: float
    rows: list[float]  # vertical centre of the header, then of each column row

    def overlaps(self, other: Box) -> bool:
        return not (
            self.right <= other.left or other.right <= self.left or self.bottom <= other.top or other.bottom <= self.top
        )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def size(root: ET.Element) -> tuple[float, float]:
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


def groups(root: ET.Element, cls: str) -> dict[str, ET.Element]:
    return {g.get("id"): g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == cls}


def points(group: ET.Element) -> list[tuple[float, float]]:
    """Every point of the polygons, polylines and paths inside `group`."""
    out: list[tuple[float, float]] = []
    for element in group.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("polygon", "polyline"):
            text = element.get("points")
        elif tag == "path":
            text = element.get("d")
        else:
            continue
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]
        out.extend(zip(numbers[0::2], numbers[1::2]))
    return out


def node_box(group: ET.Element) -> Box:
    points_ = points(group)
    xs, ys = [p[0] for p in points_], [p[1] for p in points_]
    lines: list[float] = []
    for text in group.iter("{http://www.w3.org/2000/svg}text"):
        y = float(text.get("y"))
        if not lines or abs(y - lines[-1]) > 3:
            lines.append(y)
    # a text's y is its baseline; the middle of a 10pt line is about 3.5pt above it
    return Box(min(xs), max(xs), min(ys), max(ys), [y - 3.5 for y in lines])


def touch_point(group: ET.Element, x: float, near_y: float) -> tuple[float, float]:
    """Where an edge (its line and its arrow ends) touches the vertical border at `x`: of the points of
    the edge within 3pt of that border, the one nearest `near_y` (a loop has both ends on one border)."""
    candidates = [(px, py) for px, py in points(group) if abs(px - x) <= 3]
    if not candidates:
        return min(points(group), key=lambda p: abs(p[0] - x))
    return min(candidates, key=lambda p: abs(p[1] - near_y))
