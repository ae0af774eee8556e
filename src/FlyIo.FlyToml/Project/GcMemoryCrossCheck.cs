using System.Globalization;
using System.IO;
using FlyIo.AppModel;
using FlyIo.AppModel.Docker;
using FlyIo.AppModel.Project;
using FlyIo.Diagnostics;
using FlyIo.FlyToml.Rules;

namespace FlyIo.FlyToml.Project;

/// <summary>
/// Server GC on a VM of 512 MB or less, in the image as it will run: the generated Dockerfile already turns it off
/// there (<see cref="ServerGc"/>), a Dockerfile of the user's own may or may not, and [env] DOTNET_gcServer in
/// fly.toml overrides both.
/// </summary>
internal sealed class GcMemoryCrossCheck : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        if (context.Options.Project is not { } facts)
        {
            return;
        }

        var (generated, imageEnv) = Image(context.Options.Dockerfile);
        if (generated && ServerGc.GeneratedImageTurnsOff(context.Config.SmallestVmMemoryMb))
        {
            imageEnv = "0";
        }

        context.Config.Env.TryGetValue("DOTNET_gcServer", out var flyEnv);
        if (!ServerGc.IsOn(flyEnv, imageEnv, facts.ServerGarbageCollection, facts.IsAspNetCore))
        {
            return;
        }

        foreach (var vm in context.Config.Vms)
        {
            if (ServerGc.IsSmallVm(vm.MemoryMb))
            {
                context.Sink.Warning(FlyCodes.ServerGcOnSmallVm, vm.MemoryPosition,
                    $"This VM has {vm.MemoryMb!.Value.ToString(CultureInfo.InvariantCulture)} MB of memory and the app runs Server GC, which can grow past it and get the Machine OOM-killed; set <ServerGarbageCollection>false</ServerGarbageCollection> (or DATAS: <GarbageCollectionAdaptationMode>1</GarbageCollectionAdaptationMode>) in the project, or [env] DOTNET_gcServer = \"0\".");
            }
        }
    }

    /// <summary>Whether the image comes from the SDK's Dockerfile (none yet, or a generated one), and the user's own ENV DOTNET_gcServer.</summary>
    private static (bool Generated, string? ServerGcEnv) Image(Dockerfile? dockerfile)
    {
        if (dockerfile is null || dockerfile.IsGenerated)
        {
            return (true, null);
        }

        var final = dockerfile.FinalStage;
        return (false, final is not null && final.EffectiveEnv.TryGetValue("DOTNET_gcServer", out var value) ? value : null);
    }
}
