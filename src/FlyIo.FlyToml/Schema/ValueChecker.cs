using FlyIo.AppModel;
using FlyIo.Diagnostics;
using System;
using System.Globalization;
using System.Linq;
using FlyIo.AppModel.Units;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Schema;

/// <summary>Checks one value against its key's shape, allowed values and range; legacy shapes go to <see cref="LegacyShapes"/>.</summary>
internal sealed class ValueChecker
{
    private readonly DiagnosticSink _sink;
    private readonly SchemaWalker _walker;
    private readonly LegacyShapes _legacy;

    public ValueChecker(DiagnosticSink sink, SchemaWalker walker)
    {
        _sink = sink;
        _walker = walker;
        _legacy = new LegacyShapes(sink, walker, this);
    }

    public void Check(KeySpec spec, TomlValue value, string path)
    {
        if (_legacy.TryHandle(spec, value, path))
        {
            return;
        }

        switch (spec.Shape)
        {
            case ValueShape.String:
                if (Expect<TomlString>(value, path, "a string") is { } s)
                {
                    CheckAllowed(spec, s, path);
                }

                break;
            case ValueShape.Integer:
                if (Expect<TomlInteger>(value, path, "an integer") is { } i)
                {
                    CheckRange(spec, i.Value, value, path, i.Value.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case ValueShape.Number:
                CheckNumber(spec, value, path);
                break;
            case ValueShape.Boolean:
                Expect<TomlBoolean>(value, path, "true or false");
                break;
            case ValueShape.Duration:
                CheckDuration(spec, value, path);
                break;
            case ValueShape.MemorySize:
                CheckMemory(value, path);
                break;
            case ValueShape.VolumeSize:
                CheckVolume(value, path);
                break;
            case ValueShape.Port:
                CheckPort(spec, value, path);
                break;
            case ValueShape.StringArray:
                CheckStringArray(spec, value, path, allowSingleString: false);
                break;
            case ValueShape.StringOrStringArray:
                CheckStringArray(spec, value, path, allowSingleString: true);
                break;
            case ValueShape.ScalarMap:
                CheckScalarMap(value, path);
                break;
            case ValueShape.FreeTable:
                Expect<TomlTable>(value, path, "a table");
                break;
            case ValueShape.Table:
                if (Expect<TomlTable>(value, path, "a table") is { } table)
                {
                    _walker.WalkTable(spec, table, path);
                }

                break;
            case ValueShape.TableArray:
                CheckTableArray(spec, value, path);
                break;
            case ValueShape.NamedTables:
                CheckNamedTables(spec, value, path);
                break;
            case ValueShape.BooleanOrEnum:
                if (value is not TomlBoolean && Expect<TomlString>(value, path, "true, false or one of " + List(spec)) is { } mode)
                {
                    CheckAllowed(spec, mode, path);
                }

                break;
            case ValueShape.Any:
                break;
        }
    }

    public T? Expect<T>(TomlValue value, string path, string expected)
        where T : TomlValue
    {
        if (value is T typed)
        {
            return typed;
        }

        _sink.Error(FlyCodes.WrongType, value.Position,
            $"'{path}' must be {expected}, not {TomlRead.KindName(value)}; change the value to {expected}.");
        return null;
    }

    public void CheckAllowed(KeySpec spec, TomlString value, string path)
    {
        if (spec.Allowed is null)
        {
            return;
        }

        var comparison = spec.AllowedIgnoresCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!spec.Allowed.Any(a => string.Equals(a, value.Value, comparison)))
        {
            var close = spec.Allowed.FirstOrDefault(a => string.Equals(a, value.Value, StringComparison.OrdinalIgnoreCase));
            var hint = close is not null ? $" Write '{close}' (the value is case-sensitive)." : $" Use one of {List(spec)}.";
            _sink.Error(FlyCodes.ValueNotAllowed, value.Position, $"'{path}' is '{value.Value}', which Fly does not accept.{hint}");
        }
    }

    public void CheckRange(KeySpec spec, double number, TomlValue at, string path, string shown, string unit = "")
    {
        var tooLow = spec.Min is { } min && (spec.MinExclusive ? number <= min : number < min);
        var tooHigh = spec.Max is { } max && number > max;
        if (!tooLow && !tooHigh)
        {
            return;
        }

        string bounds;
        if (spec.Min is { } lo && spec.Max is { } hi)
        {
            bounds = $"between {Num(lo)} and {Num(hi)}{unit}";
        }
        else if (spec.Min is { } onlyLo)
        {
            bounds = spec.MinExclusive ? $"greater than {Num(onlyLo)}{unit}" : $"at least {Num(onlyLo)}{unit}";
        }
        else
        {
            bounds = $"at most {Num(spec.Max!.Value)}{unit}";
        }

        _sink.Error(FlyCodes.OutOfRange, at.Position, $"'{path}' is {shown}; it must be {bounds}. Change the value to fit that range.");
    }

    private void CheckNumber(KeySpec spec, TomlValue value, string path)
    {
        double? number = value switch
        {
            TomlInteger i => i.Value,
            TomlFloat f => f.Value,
            _ => null,
        };
        if (number is null)
        {
            Expect<TomlFloat>(value, path, "a number");
            return;
        }

        CheckRange(spec, number.Value, value, path, Num(number.Value));
    }

    private void CheckDuration(KeySpec spec, TomlValue value, string path)
    {
        double seconds;
        switch (value)
        {
            case TomlString { Value.Length: 0 }:
                // flyctl drops an empty duration, as if the key were absent.
                return;
            case TomlString s:
                if (!GoDuration.TryParseSeconds(s.Value, out seconds))
                {
                    _sink.Error(FlyCodes.InvalidDuration, value.Position,
                        $"'{path}' is \"{s.Value}\", which is not a Go duration; write a number with a unit such as \"500ms\", \"10s\", \"1m30s\" or \"1h\".");
                    return;
                }

                break;
            case TomlInteger or TomlFloat:
                var n = value is TomlInteger i ? i.Value : ((TomlFloat)value).Value;
                if (spec.IntegerUnit == DurationUnit.Nanoseconds)
                {
                    _sink.Warning(FlyCodes.NanosecondTimeout, value.Position,
                        $"'{path}' = {Num(n)} is read by flyctl as {Num(n)} nanoseconds, not seconds; write a duration string such as \"{GoDuration.Format(n)}\".");
                    return;
                }

                seconds = spec.IntegerUnit == DurationUnit.Milliseconds ? n / 1000 : n;
                break;
            default:
                Expect<TomlString>(value, path, "a duration string such as \"10s\"");
                return;
        }

        CheckRange(spec, seconds, value, path, GoDuration.Format(seconds), " seconds");
    }

    private void CheckMemory(TomlValue value, string path)
    {
        var ok = value switch
        {
            TomlInteger i => i.Value > 0,
            TomlString s => SizeParser.TryParseMemoryMegabytes(s.Value, out var mb) && mb > 0,
            _ => false,
        };
        if (!ok)
        {
            _sink.Error(FlyCodes.InvalidMemorySize, value.Position,
                $"'{path}' cannot be read as a memory size; write it like \"512mb\" or \"1gb\" (or an integer number of megabytes).");
        }
    }

    private void CheckVolume(TomlValue value, string path)
    {
        var ok = value switch
        {
            TomlInteger => true,
            TomlString s => SizeParser.TryParseVolumeGigabytes(s.Value, out _),
            _ => false,
        };
        if (!ok)
        {
            _sink.Error(FlyCodes.InvalidVolumeSize, value.Position,
                $"'{path}' cannot be read as a volume size; write it like \"10gb\" (or an integer number of gigabytes).");
        }
    }

    private void CheckPort(KeySpec spec, TomlValue value, string path)
    {
        switch (value)
        {
            case TomlInteger i:
                CheckRange(spec, i.Value, value, path, i.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case TomlString s when long.TryParse(s.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                _sink.Warning(FlyCodes.LegacyValueShape, value.Position,
                    $"'{path}' is the string \"{s.Value}\"; flyctl converts it, but write it as the integer {n}.");
                CheckRange(spec, n, value, path, n.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                Expect<TomlInteger>(value, path, "an integer port number");
                break;
        }
    }

    private void CheckStringArray(KeySpec spec, TomlValue value, string path, bool allowSingleString)
    {
        if (allowSingleString && value is TomlString single)
        {
            CheckAllowed(spec, single, path);
            return;
        }

        if (Expect<TomlArray>(value, path, allowSingleString ? "a string or an array of strings" : "an array of strings") is not { } array)
        {
            return;
        }

        foreach (var item in array)
        {
            if (Expect<TomlString>(item, path, "an array of strings") is { } s)
            {
                CheckAllowed(spec, s, path);
            }
        }
    }

    public void CheckScalarMap(TomlValue value, string path)
    {
        if (Expect<TomlTable>(value, path, "a table") is not { } table)
        {
            return;
        }

        foreach (var entry in table.Where(e => !TomlRead.IsScalar(e.Value)))
        {
            Expect<TomlString>(entry.Value, path + "." + entry.Key, "a string");
        }
    }

    private void CheckTableArray(KeySpec spec, TomlValue value, string path)
    {
        switch (value)
        {
            case TomlTable single:
                _walker.WalkTable(spec, single, path);
                break;
            case TomlArray array:
                foreach (var item in array)
                {
                    if (Expect<TomlTable>(item, path, "a table") is { } table)
                    {
                        _walker.WalkTable(spec, table, path);
                    }
                }

                break;
            default:
                Expect<TomlTable>(value, path, $"a table ([[{path}]])");
                break;
        }
    }

    private void CheckNamedTables(KeySpec spec, TomlValue value, string path)
    {
        if (Expect<TomlTable>(value, path, "a table of named sections") is not { } named)
        {
            return;
        }

        foreach (var entry in named)
        {
            if (Expect<TomlTable>(entry.Value, path + "." + entry.Key, "a table") is { } table)
            {
                _walker.WalkTable(spec, table, path + "." + entry.Key);
            }
        }
    }

    private static string List(KeySpec spec) => spec.Allowed is null ? "" : string.Join(", ", spec.Allowed.Select(a => "'" + a + "'"));

    private static string Num(double n) => n.ToString("0.###", CultureInfo.InvariantCulture);
}
