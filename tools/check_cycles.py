"""No module under quietdesk/ imports another that imports it back, directly or through
others. Uses grimp, the import graph import-linter is built on.

    python tools/check_cycles.py

Prints each cycle found (as a chain of modules) and exits 1 if there is any.
"""

from __future__ import annotations

import sys

import grimp


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


def main() -> int:
    found = cycles()
    for component in found:
        print("import cycle: " + " <-> ".join(component))
    if found:
        print(f"{len(found)} import cycle(s) between quietdesk's modules: break them (a registration hook, "
              "or code moved to the module both need).")
        return 1
    print("No import cycles between quietdesk's modules.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
