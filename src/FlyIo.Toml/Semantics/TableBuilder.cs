using System.Collections.Generic;
using FlyIo.Diagnostics;
using FlyIo.Toml.Lexing;

namespace FlyIo.Toml.Semantics;

/// <summary>
/// Applies headers and key/value pairs to the value model and enforces TOML's definition rules: a table is defined
/// once, inline tables and static arrays are closed, and dotted keys only extend tables that dotted keys created.
/// </summary>
internal sealed class TableBuilder
{
    private readonly SourceText _source;

    public TableBuilder(SourceText source)
    {
        _source = source;
        Root = new TomlTable(TomlTableOrigin.Root, new TomlPosition(1, 1, 0));
        Current = Root;
    }

    public TomlTable Root { get; }

    /// <summary>The table that top-level key/value lines go into.</summary>
    public TomlTable Current { get; private set; }

    /// <summary><c>[a.b.c]</c>: <paramref name="offsets"/> are the key segments' offsets.</summary>
    public void OpenTable(IReadOnlyList<string> names, IReadOnlyList<int> offsets, int bracketOffset)
    {
        var parent = NavigateHeader(names, offsets);
        var last = names.Count - 1;
        var position = _source.GetPosition(bracketOffset);
        var entry = parent.GetEntry(names[last]);
        if (entry is null)
        {
            var table = new TomlTable(TomlTableOrigin.Header, position);
            parent.Add(new TomlEntry(names[last], _source.GetPosition(offsets[last]), table));
            Current = table;
            return;
        }

        if (entry.Value is TomlTable existing && existing.Origin == TomlTableOrigin.Implicit)
        {
            var defined = existing.Redefine(TomlTableOrigin.Header, position);
            entry.Value = defined;
            Current = defined;
            return;
        }

        Conflict(names, offsets[last], entry.Value is TomlTable ? "table '{0}' is already defined" : "key '{0}' is already defined and is not a table");
    }

    /// <summary><c>[[a.b.c]]</c>: appends a new table to the array of tables.</summary>
    public void OpenArrayTable(IReadOnlyList<string> names, IReadOnlyList<int> offsets, int bracketOffset)
    {
        var parent = NavigateHeader(names, offsets);
        var last = names.Count - 1;
        var position = _source.GetPosition(bracketOffset);
        var entry = parent.GetEntry(names[last]);
        TomlArray array;
        if (entry is null)
        {
            array = new TomlArray(true, position);
            parent.Add(new TomlEntry(names[last], _source.GetPosition(offsets[last]), array));
        }
        else if (entry.Value is TomlArray { IsArrayOfTables: true } existing)
        {
            array = existing;
        }
        else
        {
            Conflict(names, offsets[last], entry.Value is TomlArray
                ? "'{0}' is a static array and cannot be extended with [[{0}]]"
                : "key '{0}' is already defined and is not an array of tables");
            return;
        }

        var table = new TomlTable(TomlTableOrigin.ArrayOfTablesElement, position);
        array.Add(table);
        Current = table;
    }

    /// <summary>Adds <c>a.b.c = value</c> to <paramref name="target"/> (the current table or an inline table).</summary>
    public void AddValue(TomlTable target, IReadOnlyList<string> names, IReadOnlyList<int> offsets, TomlValue value)
    {
        var table = target;
        var last = names.Count - 1;
        for (var i = 0; i < last; i++)
        {
            var entry = table.GetEntry(names[i]);
            if (entry is null)
            {
                var created = new TomlTable(TomlTableOrigin.DottedKey, _source.GetPosition(offsets[i]));
                table.Add(new TomlEntry(names[i], created.Position, created));
                table = created;
                continue;
            }

            if (entry.Value is TomlTable child && !child.IsSealed
                && (child.Origin == TomlTableOrigin.DottedKey || child.Origin == TomlTableOrigin.Implicit))
            {
                table = child;
                continue;
            }

            Conflict(Prefix(names, i), offsets[i], entry.Value switch
            {
                TomlTable { IsSealed: true } => "inline table '{0}' cannot be extended",
                TomlTable => "table '{0}' is defined by a header and cannot be extended with dotted keys",
                TomlArray => "'{0}' is an array and cannot be extended with dotted keys",
                _ => "key '{0}' already holds a value",
            });
        }

        var existingEntry = table.GetEntry(names[last]);
        if (existingEntry is not null)
        {
            if (existingEntry.Value is TomlTable)
            {
                Conflict(names, offsets[last], "'{0}' is already defined as a table");
            }

            _source.Fail(FlyCodes.TomlDuplicateKey, $"duplicate key '{Join(names, last)}'", offsets[last]);
        }

        table.Add(new TomlEntry(names[last], _source.GetPosition(offsets[last]), value));
    }

    private TomlTable NavigateHeader(IReadOnlyList<string> names, IReadOnlyList<int> offsets)
    {
        var table = Root;
        for (var i = 0; i < names.Count - 1; i++)
        {
            var entry = table.GetEntry(names[i]);
            if (entry is null)
            {
                var created = new TomlTable(TomlTableOrigin.Implicit, _source.GetPosition(offsets[i]));
                table.Add(new TomlEntry(names[i], created.Position, created));
                table = created;
                continue;
            }

            switch (entry.Value)
            {
                case TomlTable { IsSealed: true }:
                    Conflict(Prefix(names, i), offsets[i], "inline table '{0}' cannot be extended");
                    break;
                case TomlTable child:
                    table = child;
                    continue;
                case TomlArray { IsArrayOfTables: true } array:
                    table = (TomlTable)array[array.Count - 1];
                    continue;
                case TomlArray:
                    Conflict(Prefix(names, i), offsets[i], "'{0}' is a static array and cannot be extended");
                    break;
                default:
                    Conflict(Prefix(names, i), offsets[i], "key '{0}' already holds a value and is not a table");
                    break;
            }
        }

        return table;
    }

    private void Conflict(IReadOnlyList<string> names, int offset, string format) =>
        _source.Fail(FlyCodes.TomlTableConflict, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Join(names, names.Count - 1)), offset);

    private static IReadOnlyList<string> Prefix(IReadOnlyList<string> names, int lastIndex)
    {
        var prefix = new string[lastIndex + 1];
        for (var i = 0; i <= lastIndex; i++)
        {
            prefix[i] = names[i];
        }

        return prefix;
    }

    private static string Join(IReadOnlyList<string> names, int lastIndex)
    {
        var parts = new string[lastIndex + 1];
        for (var i = 0; i <= lastIndex; i++)
        {
            parts[i] = names[i];
        }

        return string.Join(".", parts);
    }
}
