using System;
using FlyIo.Diagnostics;
using System.Globalization;
using FlyIo.Toml.Lexing;

namespace FlyIo.Toml;

/// <summary>TOML integers and floats, with the underscore, leading-zero and 64-bit range rules.</summary>
internal static class NumberParser
{
    public static TomlValue Parse(SourceText source, string raw, int offset)
    {
        var position = source.GetPosition(offset);
        if (raw.Length > 2 && raw[0] == '0' && (raw[1] == 'x' || raw[1] == 'o' || raw[1] == 'b'))
        {
            return new TomlInteger(ParsePrefixed(source, raw, offset), position);
        }

        var i = 0;
        var negative = false;
        if (raw.Length > 0 && (raw[0] == '+' || raw[0] == '-'))
        {
            negative = raw[0] == '-';
            i = 1;
        }

        var rest = raw.Substring(i);
        if (rest == "inf" || rest == "nan")
        {
            var special = rest == "nan" ? double.NaN : (negative ? double.NegativeInfinity : double.PositiveInfinity);
            return new TomlFloat(special, position);
        }

        var intEnd = ScanDigits(source, raw, i, offset, allowLeadingZeros: false);
        if (intEnd == raw.Length)
        {
            return new TomlInteger(ParseDecimal(source, raw, offset, negative), position);
        }

        var k = intEnd;
        if (raw[k] == '.')
        {
            k = ScanDigits(source, raw, k + 1, offset, allowLeadingZeros: true);
        }

        if (k < raw.Length && (raw[k] == 'e' || raw[k] == 'E'))
        {
            k++;
            if (k < raw.Length && (raw[k] == '+' || raw[k] == '-'))
            {
                k++;
            }

            k = ScanDigits(source, raw, k, offset, allowLeadingZeros: true);
        }

        if (k != raw.Length)
        {
            Invalid(source, raw, offset);
        }

        // .NET Framework's double.Parse throws OverflowException past double's range where .NET Core returns ±Infinity,
        // as Go's ParseFloat (and so flyctl) does: the same value on both MSBuild runtimes, never an exception.
        var text = raw.Replace("_", string.Empty);
        double value;
        try
        {
            value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            value = text.StartsWith("-", StringComparison.Ordinal) ? double.NegativeInfinity : double.PositiveInfinity;
        }

        return new TomlFloat(value, position);
    }

    /// <summary>Digits with single underscores between them; returns the offset after the run.</summary>
    private static int ScanDigits(SourceText source, string raw, int i, int offset, bool allowLeadingZeros)
    {
        var start = i;
        while (i < raw.Length)
        {
            var c = raw[i];
            if (CharClass.IsDigit(c))
            {
                i++;
            }
            else if (c == '_' && i > start && i + 1 < raw.Length && CharClass.IsDigit(raw[i + 1]))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        if (i == start)
        {
            Invalid(source, raw, offset);
        }

        if (!allowLeadingZeros && raw[start] == '0' && i - start > 1)
        {
            source.Fail(FlyCodes.TomlInvalidNumber, $"leading zeros are not allowed in '{raw}'", offset);
        }

        return i;
    }

    private static long ParseDecimal(SourceText source, string raw, int offset, bool negative)
    {
        // Accumulate as a negative number so long.MinValue is representable.
        long value = 0;
        foreach (var c in raw)
        {
            if (!CharClass.IsDigit(c))
            {
                continue;
            }

            var digit = c - '0';
            if (value < (long.MinValue + digit) / 10)
            {
                Overflow(source, raw, offset);
            }

            value = value * 10 - digit;
        }

        if (!negative)
        {
            if (value == long.MinValue)
            {
                Overflow(source, raw, offset);
            }

            value = -value;
        }

        return value;
    }

    private static long ParsePrefixed(SourceText source, string raw, int offset)
    {
        var radixBits = raw[1] == 'x' ? 4 : raw[1] == 'o' ? 3 : 1;
        var radix = 1 << radixBits;
        ulong value = 0;
        var digits = 0;
        for (var i = 2; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '_' && digits > 0 && i + 1 < raw.Length && raw[i + 1] != '_')
            {
                continue;
            }

            var d = DigitValue(c);
            if (d < 0 || d >= radix)
            {
                Invalid(source, raw, offset);
            }

            if (value > (ulong)long.MaxValue >> radixBits)
            {
                Overflow(source, raw, offset);
            }

            value = (value << radixBits) | (uint)d;
            if (value > long.MaxValue)
            {
                Overflow(source, raw, offset);
            }

            digits++;
        }

        if (digits == 0)
        {
            Invalid(source, raw, offset);
        }

        return (long)value;
    }

    private static int DigitValue(char c)
    {
        if (CharClass.IsDigit(c))
        {
            return c - '0';
        }

        var lower = c | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static void Invalid(SourceText source, string raw, int offset) =>
        source.Fail(FlyCodes.TomlInvalidNumber, $"'{raw}' is not a valid number", offset);

    private static void Overflow(SourceText source, string raw, int offset) =>
        source.Fail(FlyCodes.TomlInvalidNumber, $"'{raw}' does not fit in a 64-bit signed integer", offset);
}
