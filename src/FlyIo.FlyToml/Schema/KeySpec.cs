using System;
using System.Collections.Generic;
using System.Linq;

namespace FlyIo.FlyToml.Schema;

/// <summary>
/// What fly.toml allows under one key: its shape, its allowed values or range, its children, and, for legacy
/// spellings, the modern one. The schema is a tree of these, so unknown-key detection and suggestions come from data.
/// </summary>
internal sealed class KeySpec
{
    public KeySpec(string name, ValueShape shape, params KeySpec[] children)
    {
        Name = name;
        Shape = shape;
        Children = children;
    }

    public string Name { get; }

    public ValueShape Shape { get; }

    public IReadOnlyList<KeySpec> Children { get; }

    public DurationUnit IntegerUnit { get; private set; } = DurationUnit.Seconds;

    /// <summary>Allowed string values (enumerations); null means any.</summary>
    public IReadOnlyList<string>? Allowed { get; private set; }

    public bool AllowedIgnoresCase { get; private set; }

    public double? Min { get; private set; }

    public double? Max { get; private set; }

    /// <summary>True when the minimum itself is not allowed (max_unavailable &gt; 0).</summary>
    public bool MinExclusive { get; private set; }

    /// <summary>For a legacy spelling: how to write it today, e.g. "[[vm]]".</summary>
    public string? ModernSpelling { get; private set; }

    /// <summary>Why the key is accepted but does nothing on Machines apps; null when it does something.</summary>
    public string? NoEffectReason { get; private set; }

    public KeySpec? Child(string name) => Children.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    public KeySpec WithUnit(DurationUnit unit)
    {
        IntegerUnit = unit;
        return this;
    }

    public KeySpec OneOf(params string[] values)
    {
        Allowed = values;
        return this;
    }

    public KeySpec OneOfIgnoringCase(params string[] values)
    {
        Allowed = values;
        AllowedIgnoresCase = true;
        return this;
    }

    public KeySpec Range(double? min, double? max, bool minExclusive = false)
    {
        Min = min;
        Max = max;
        MinExclusive = minExclusive;
        return this;
    }

    public KeySpec LegacyFor(string modernSpelling)
    {
        ModernSpelling = modernSpelling;
        return this;
    }

    public KeySpec NoEffect(string reason)
    {
        NoEffectReason = reason;
        return this;
    }

    /// <summary>A key flyctl deploys that this SDK handles differently: reported under its own code with what happens instead.</summary>
    public (FlyIo.Diagnostics.DiagnosticDescriptor Code, string Reason)? NotDeployed { get; private set; }

    public KeySpec Instead(FlyIo.Diagnostics.DiagnosticDescriptor code, string reason)
    {
        NotDeployed = (code, reason);
        return this;
    }
}
