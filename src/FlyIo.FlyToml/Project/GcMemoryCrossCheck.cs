using FlyIo.AppModel;
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
                context.Sink.Warning(FlyTomlCodes.ServerGcOnSmallVm, at,
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
        // No size and no memory: Fly creates a shared-cpu-1x Machine with 256 MB.
        var (megabytes, from) = VmMemory.Read(vm);
        return from is null ? (256, vm.Position) : (megabytes, from.Position);
    }
}
