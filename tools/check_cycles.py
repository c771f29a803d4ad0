"""No module under quietdesk/ imports another that imports it back, directly or through
others. Uses grimp, the import graph import-linter is built on.

    python tools/check_cycles.py

Prints each cycle found (as a chain of modules) and exits 1 if there is one that
``ALLOWED`` does not list.
"""

from __future__ import annotations

import sys

import grimp

# Circles allowed for now: none. Each entry would be the set of modules of one circle; a circle
# whose modules all lie in one entry is reported and passes, any other fails. Keep it empty:
# a circle is broken by moving what both sides need into a module of its own.
ALLOWED: tuple[frozenset[str], ...] = ()


def cycles(package: str = "quietdesk") -> list[list[str]]:
    graph = grimp.build_graph(package, cache_dir=None)
    modules = sorted(graph.modules)
    index = {m: i for i, m in enumerate(modules)}
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & graph.modules) for m in modules}
    # Tarjan's strongly connected components: every component of more than one module is a
    # set of modules that import each other in a circle.
    counter, stack, on_stack, low, number, found = [0], [], set(), {}, {}, []

    def visit(root: str) -> None:
        work = [(root, iter(edges[root]))]
        number[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in number:
                    number[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], number[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == number[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component, key=index.get))

    for module in modules:
        if module not in number:
            visit(module)
    return found


def judge(
    found: list[list[str]], allowed: tuple[frozenset[str], ...] = ALLOWED
) -> tuple[list[list[str]], list[list[str]], list[frozenset[str]]]:
    """(new circles, circles the allow-list covers, allow-list entries no circle needs)."""
    new = [c for c in found if not any(set(c) <= entry for entry in allowed)]
    known = [c for c in found if c not in new]
    stale = [entry for entry in allowed if not any(set(c) <= entry for c in known)]
    return new, known, stale


def main() -> int:
    new, known, stale = judge(cycles())
    for component in known:
        print("import cycle (allowed for now, see ALLOWED): " + " <-> ".join(component))
    for entry in stale:
        print("ALLOWED lists a circle that is gone, remove it: " + ", ".join(sorted(entry)))
    for component in new:
        print("import cycle: " + " <-> ".join(component))
    if new:
        print(f"{len(new)} import cycle(s) between quietdesk's modules: break them (a registration hook, "
              "or code moved to the module both need).")
        return 1
    print("No new import cycles between quietdesk's modules.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
