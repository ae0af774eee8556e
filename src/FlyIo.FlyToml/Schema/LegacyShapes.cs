using FlyIo.AppModel;
using FlyIo.Diagnostics;
using System.Linq;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Schema;

/// <summary>
/// Value forms older fly.toml files use and flyctl's patches (internal/appconfig/patches.go) still convert:
/// env and processes as arrays, checks as an array, "soft,hard" concurrency, headers as [{name, value}], and empty
/// placeholders such as services = []. Each is accepted with a warning that names the modern form.
/// </summary>
internal sealed class LegacyShapes
{
    private readonly DiagnosticSink _sink;
    private readonly SchemaWalker _walker;
    private readonly ValueChecker _values;

    public LegacyShapes(DiagnosticSink sink, SchemaWalker walker, ValueChecker values)
    {
        _sink = sink;
        _walker = walker;
        _values = values;
    }

    /// <summary>True when the value was a legacy form and has been fully checked here.</summary>
    public bool TryHandle(KeySpec spec, TomlValue value, string path)
    {
        if (value is TomlArray { Count: 0 } empty && spec.Shape is ValueShape.TableArray or ValueShape.ScalarMap or ValueShape.NamedTables)
        {
            _sink.Warning(FlyCodes.EmptyPlaceholder, empty.Position,
                $"'{path} = []' is an empty placeholder that flyctl drops; remove the line.");
            return true;
        }

        return (spec.Name, value) switch
        {
            ("env", TomlArray array) when spec.Shape == ValueShape.ScalarMap => EnvArray(array, path),
            ("processes", TomlArray array) when spec.Shape == ValueShape.ScalarMap => ProcessArray(array, path),
            ("checks", TomlArray array) when spec.Shape == ValueShape.NamedTables => CheckArray(spec, array, path),
            ("headers", TomlArray array) when spec.Shape == ValueShape.ScalarMap => HeaderArray(array, path),
            ("concurrency", TomlString text) => ConcurrencyString(text, path),
            _ => false,
        };
    }

    private bool EnvArray(TomlArray array, string path)
    {
        _sink.Warning(FlyCodes.LegacyValueShape, array.Position,
            $"'{path}' is written as an array of tables ([[env]]); flyctl merges them, but write a single [env] table instead.");
        foreach (var item in array)
        {
            _values.CheckScalarMap(item, path);
        }

        return true;
    }

    private bool ProcessArray(TomlArray array, string path)
    {
        var tables = array.OfType<TomlTable>().ToList();
        if (tables.All(t => t.Count == 0))
        {
            _sink.Warning(FlyCodes.EmptyPlaceholder, array.Position,
                $"'{path}' is an empty placeholder that flyctl drops; remove it, or write [processes] with name = \"command\" lines.");
            return true;
        }

        _sink.Warning(FlyCodes.LegacyValueShape, array.Position,
            $"'{path}' is written as [[processes]] with name and command; write a [processes] table with name = \"command\" lines instead.");
        foreach (var item in array)
        {
            if (_values.Expect<TomlTable>(item, path, "a table with name and command") is not { } table)
            {
                continue;
            }

            if (TomlRead.Get(table, "name") is { } name)
            {
                _values.Expect<TomlString>(name, path + ".name", "a string");
            }

            if (TomlRead.Get(table, "command") is { } command)
            {
                _values.Expect<TomlString>(command, path + ".command", "a string");
            }
        }

        return true;
    }

    private bool CheckArray(KeySpec spec, TomlArray array, string path)
    {
        _sink.Warning(FlyCodes.LegacyValueShape, array.Position,
            $"'{path}' is written as an array of checks with names; write one [{path}.<name>] table per check instead.");
        var withName = new KeySpec(spec.Name, ValueShape.Table, spec.Children.Concat(new[] { SchemaBuilders.Str("name") }).ToArray());
        foreach (var item in array)
        {
            if (_values.Expect<TomlTable>(item, path, "a table") is { } table)
            {
                if (TomlRead.Get(table, "name") is null)
                {
                    _sink.Error(FlyCodes.WrongType, table.Position,
                        $"An entry of '{path}' written as an array has no name; add name = \"...\" or write it as [{path}.<name>].");
                }

                _walker.WalkTable(withName, table, path);
            }
        }

        return true;
    }

    private bool HeaderArray(TomlArray array, string path)
    {
        _sink.Warning(FlyCodes.LegacyValueShape, array.Position,
            $"'{path}' is written as a list of {{name, value}} tables; write a [{path}] table with Header-Name = \"value\" lines instead.");
        foreach (var item in array)
        {
            if (_values.Expect<TomlTable>(item, path, "a table with name and value") is { } table && TomlRead.Get(table, "name") is null)
            {
                _sink.Error(FlyCodes.WrongType, table.Position, $"A header in '{path}' has no name; add name = \"Header-Name\".");
            }
        }

        return true;
    }

    private bool ConcurrencyString(TomlString text, string path)
    {
        var parts = text.Value.Split(new[] { ',' }, 2);
        if (parts.Length == 2 && int.TryParse(parts[0].Trim(), out var soft) && int.TryParse(parts[1].Trim(), out var hard))
        {
            _sink.Warning(FlyCodes.LegacyValueShape, text.Position,
                $"'{path} = \"{text.Value}\"' is the old \"soft,hard\" form; write [{path}] with type = \"requests\", soft_limit = {soft}, hard_limit = {hard}.");
        }
        else
        {
            _sink.Error(FlyCodes.WrongType, text.Position,
                $"'{path} = \"{text.Value}\"' is neither a table nor the old \"soft,hard\" form; write [{path}] with type, soft_limit and hard_limit.");
        }

        return true;
    }
}
