using FlyIo.AppModel;
using FlyIo.Diagnostics;
using System;
using System.Collections.Generic;
using System.Globalization;
using FlyIo.FlyToml.Rules;
using FlyIo.AppModel.Units;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Project;

/// <summary>
/// Server GC sizes its heaps for many cores and plenty of RAM; on a 256/512 MB Fly VM it grows until the Machine is
/// killed for running out of memory. ASP.NET Core turns Server GC on by default.
/// </summary>
internal sealed class GcMemoryCrossCheck : IFlyTomlRule
{
    private const double SmallVmMegabytes = 512;

    /// <summary>Memory each preset size gets when [[vm]] sets no memory (Fly's Machine size presets).</summary>
    private static readonly Dictionary<string, double> PresetMegabytes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["shared-cpu-1x"] = 256, ["shared-cpu-2x"] = 512, ["shared-cpu-4x"] = 1024, ["shared-cpu-8x"] = 2048,
        ["performance-1x"] = 2048, ["performance-2x"] = 4096, ["performance-4x"] = 8192,
        ["performance-8x"] = 16384, ["performance-16x"] = 32768,
    };

    public void Check(RuleContext context)
    {
        if (context.Options.Project is not { } facts || !ServerGcOn(facts, TomlRead.Table(context.Root, "env")))
        {
            return;
        }

        foreach (var vm in TomlRead.Tables(context.Root, "vm"))
        {
            var (megabytes, at) = Memory(vm);
            if (megabytes is { } mb && mb <= SmallVmMegabytes)
            {
                context.Sink.Warning(FlyCodes.ServerGcOnSmallVm, at,
                    $"This VM has {mb.ToString("0", CultureInfo.InvariantCulture)} MB of memory and the app runs Server GC, which can grow past it and get the Machine OOM-killed; set <ServerGarbageCollection>false</ServerGarbageCollection> (or DATAS: <GarbageCollectionAdaptationMode>1</GarbageCollectionAdaptationMode>) in the project, or [env] DOTNET_gcServer = \"0\".");
            }
        }
    }

    private static bool ServerGcOn(ProjectFacts facts, TomlTable? env)
    {
        var envValue = TomlRead.Get(env, "DOTNET_gcServer") switch
        {
            TomlString s => s.Value.Trim(),
            TomlInteger i => i.Value.ToString(CultureInfo.InvariantCulture),
            TomlBoolean b => b.Value ? "1" : "0",
            _ => null,
        };
        if (envValue is not null)
        {
            return envValue == "1" || string.Equals(envValue, "true", StringComparison.OrdinalIgnoreCase);
        }

        return facts.ServerGarbageCollection ?? facts.IsAspNetCore;
    }

    private static (double? Megabytes, TomlPosition At) Memory(TomlTable vm)
    {
        switch (TomlRead.Get(vm, "memory"))
        {
            case TomlInteger i:
                return (i.Value, i.Position);
            case TomlString s when SizeParser.TryParseMemoryMegabytes(s.Value, out var mb):
                return (mb, s.Position);
        }

        if (TomlRead.Get(vm, "memory_mb") is TomlInteger memoryMb)
        {
            return (memoryMb.Value, memoryMb.Position);
        }

        if (TomlRead.Get(vm, "size") is TomlString size)
        {
            return PresetMegabytes.TryGetValue(size.Value, out var preset) ? (preset, size.Position) : (null, size.Position);
        }

        // No size and no memory: Fly creates a shared-cpu-1x Machine with 256 MB.
        return (256, vm.Position);
    }
}
