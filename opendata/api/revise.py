"""The dict operations of CKAN's `package_revise` (ckan/lib/navl/dictization_functions):
match a package dict against expected values, remove fields by glob patterns, and merge
updates — each also through "flattened keys" (`resources__0__name`, `resources__1f9ab`,
`resources__-1`, `resources__extend`). Pure functions on plain dicts and lists; errors
are `RevisionError` with CKAN's message.
"""
__all__ = ["RevisionError", "filter_globs", "match_dict", "match_key", "merge_dict", "merge_key", "resolve_key"]

# A list item is chosen by its index or by a prefix of its `id` of at least this length.
ID_PREFIX_MIN = 5


class RevisionError(Exception):
    """A key that names nothing, or a value of the wrong type."""


def _path(parts) -> str:
    return "__".join(str(p) for p in parts)


def _list_index(items: list, key: str, parents: list) -> int:
    if len(key) >= ID_PREFIX_MIN:
        for index, item in enumerate(items):
            if not isinstance(item, dict) or "id" not in item:
                break
            if str(item["id"]).startswith(key):
                return index
        raise RevisionError(f"Unmatched key {_path([*parents, key])}")
    try:
        index = int(key)
    except ValueError:
        raise RevisionError(f"Unmatched key {_path([*parents, key])}") from None
    if not -len(items) <= index < len(items):
        raise RevisionError(f"Unmatched key {_path([*parents, key])}")
    return index


def resolve_key(data, key: str) -> tuple[object, tuple]:
    """(value, path) that the flattened `key` names in `data`."""
    current, parents = data, []
    for part in key.split("__"):
        if isinstance(current, dict):
            if part not in current:
                raise RevisionError(f"Unmatched key {_path([*parents, part])}")
            parents.append(part)
            current = current[part]
        elif isinstance(current, list):
            index = _list_index(current, part, parents)
            parents.append(index)
            current = current[index]
        else:
            raise RevisionError(f"Unmatched key {_path([*parents, part])}")
    return current, tuple(parents)


def match_dict(data, expected: dict, path: tuple = ()) -> list[tuple]:
    """Paths of the values in `expected` that differ from `data`'s."""
    if not isinstance(data, dict):
        return [path]
    unmatched = []
    for key, value in sorted(expected.items()):
        if key not in data:
            unmatched.append((*path, key))
        else:
            unmatched += _match_value(data[key], value, (*path, key))
    return unmatched


def _match_list(data, expected: list, path: tuple) -> list[tuple]:
    if not isinstance(data, list):
        return [path]
    unmatched = []
    for index, value in enumerate(expected):
        if index >= len(data):
            unmatched.append((*path, index))
        else:
            unmatched += _match_value(data[index], value, (*path, index))
    return unmatched


def _match_value(actual, expected, path: tuple) -> list[tuple]:
    if isinstance(expected, dict):
        return match_dict(actual, expected, path)
    if isinstance(expected, list):
        return _match_list(actual, expected, path)
    return [] if actual == expected else [path]


def match_key(data: dict, key: str, expected) -> list[tuple]:
    """match_dict for a flattened key (`resources__0__name`)."""
    actual, path = resolve_key(data, key)
    return _match_value(actual, expected, path)


def filter_globs(data, patterns: list[str]) -> None:
    """Remove from `data`, in place, what the patterns name: `-field`, `-resources__1`,
    `-*`; a `+` pattern protects what it names, the first matching pattern winning."""
    _filter(data, [(p.startswith("+"), p.lstrip("+-").split("__")) for p in patterns])


def _filter(data, globs: list[tuple[bool, list[str]]]) -> None:
    if isinstance(data, dict):
        kept, nested = {}, {}
        for keep, parts in globs:
            head = parts[0]
            if head == "*":
                if keep:
                    kept.update(data)
                else:
                    data.clear()
            elif head in data:
                if len(parts) > 1:
                    nested.setdefault(head, []).append((keep, parts[1:]))
                elif keep:
                    kept[head] = data[head]
                else:
                    del data[head]
        data.update(kept)
        for head, child_globs in nested.items():
            if head in data:
                _filter(data[head], child_globs)
    elif isinstance(data, list):
        protected, removed, nested = set(), set(), {}
        for keep, parts in globs:
            head = parts[0]
            if head == "*":
                (protected if keep else removed).update(set(range(len(data))) - (removed if keep else protected))
                continue
            try:
                index = _list_index(data, head, []) % len(data)
            except RevisionError:
                continue
            if len(parts) > 1:
                nested.setdefault(index, []).append((keep, parts[1:]))
            elif keep and index not in removed:
                protected.add(index)
            elif not keep and index not in protected:
                removed.add(index)
        gone = removed - protected
        for index, child_globs in nested.items():
            if index not in gone:
                _filter(data[index], child_globs)
        data[:] = [item for index, item in enumerate(data) if index not in gone]


def merge_dict(data: dict, update, path: tuple = ()) -> None:
    """Merge `update` into `data` in place: dicts key by key, lists item by item (extra
    items appended), other values replaced."""
    if not isinstance(update, dict):
        raise RevisionError(f"Expected dict for {_path(path)}")
    for key, value in update.items():
        if key in data and isinstance(data[key], dict):
            merge_dict(data[key], value, (*path, key))
        elif key in data and isinstance(data[key], list):
            _merge_list(data[key], value, (*path, key))
        else:
            data[key] = value


def _merge_list(data: list, update, path: tuple) -> None:
    if not isinstance(update, list):
        raise RevisionError(f"Expected list for {_path(path)}")
    for index, value in enumerate(update):
        if index >= len(data):
            data.append(value)
        elif isinstance(data[index], dict):
            merge_dict(data[index], value, (*path, index))
        elif isinstance(data[index], list):
            _merge_list(data[index], value, (*path, index))
        else:
            data[index] = value


def merge_key(data: dict, key: str, value) -> None:
    """merge_dict for a flattened key; `<list>__extend` appends the items of `value`."""
    *parents, last = key.split("__")
    container, path = resolve_key(data, "__".join(parents)) if parents else (data, ())
    if isinstance(container, dict):
        merge_dict(container, {last: value}, path)
    elif isinstance(container, list):
        if last == "extend":
            if not isinstance(value, list):
                raise RevisionError(f"Expected list for {_path(parents)}")
            container.extend(value)
            return
        index = _list_index(container, last, list(path))
        if isinstance(container[index], dict):
            merge_dict(container[index], value, (*path, index))
        elif isinstance(container[index], list):
            _merge_list(container[index], value, (*path, index))
        else:
            container[index] = value
    else:
        raise RevisionError(f"Expected list or dict for {_path(parents)}")
