using System;
using System.Collections.Generic;

namespace FlyIo.Deploy;

/// <summary>What FlyScale asks: a machine count (fly scale count), a VM size and/or memory (fly scale vm | memory).</summary>
public sealed class ScaleRequest
{
    /// <summary>FlyProcessGroup; null means the app's only group.</summary>
    public string? Group { get; set; }

    /// <summary>FlyScaleCount: machines the group should have (in <see cref="Regions"/> when given).</summary>
    public int? Count { get; set; }

    /// <summary>FlyScaleRegion (flyctl's --region): the regions counted and used; empty means every region the app has machines in.</summary>
    public IReadOnlyList<string> Regions { get; set; } = Array.Empty<string>();

    /// <summary>FlyVmSize: a Fly preset such as shared-cpu-2x.</summary>
    public string? VmSize { get; set; }

    /// <summary>FlyVmMemory, in MB.</summary>
    public int? MemoryMb { get; set; }
}

public enum ScaleStepKind
{
    Create,
    Resize,
    Destroy,
}

/// <summary>One change FlyScale makes: a machine created (with its volume), resized or destroyed.</summary>
public sealed record ScaleStep(ScaleStepKind Kind, string? MachineId, string Group, string Region, string Size, string? Volume);

/// <summary>The changes, in the order they are made, before any is made.</summary>
public sealed class ScalePlan
{
    public string App { get; internal set; } = "";
    public string Group { get; internal set; } = "";
    /// <summary>The group's machines now.</summary>
    public int Current { get; internal set; }
    public List<ScaleStep> Steps { get; } = new();
}
