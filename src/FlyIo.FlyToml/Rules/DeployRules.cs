using FlyIo.AppModel;
using FlyIo.Diagnostics;
using System.Linq;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>flyctl's validateDeploySection plus the strategy combinations that fail at deploy time.</summary>
internal sealed class DeployRules : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        var deploy = TomlRead.Table(context.Root, "deploy");
        if (TomlRead.Get(deploy, "strategy") is not TomlString strategy)
        {
            return;
        }

        var hasMounts = TomlRead.Tables(context.Root, "mounts").Count + TomlRead.Tables(context.Root, "mount").Count > 0;
        if (strategy.Value == "canary" && hasMounts)
        {
            context.Sink.Error(FlyCodes.CanaryWithMounts, strategy.Position,
                "The canary deployment strategy is not supported when using mounted volumes; use strategy = \"rolling\" (or \"immediate\"), or remove [[mounts]].");
        }

        if (strategy.Value == "bluegreen" && !HasAnyCheck(context))
        {
            context.Sink.Error(FlyCodes.BlueGreenWithoutChecks, strategy.Position,
                "The bluegreen strategy needs at least one health check to know when the green Machines are ready; add [[http_service.checks]] (or [[services.tcp_checks]] / [checks.<name>]), or use strategy = \"rolling\".");
        }

        if (strategy.Value is "immediate" or "bluegreen" && deploy!.GetEntry("max_unavailable") is { } maxUnavailable)
        {
            context.Sink.Warning(FlyCodes.MaxUnavailableIgnored, maxUnavailable.KeyPosition,
                $"max_unavailable only applies to the rolling and canary strategies; with strategy = \"{strategy.Value}\" it is ignored. Remove it or change the strategy.");
        }
    }

    private static bool HasAnyCheck(RuleContext context)
    {
        var topLevel = TomlRead.Table(context.Root, "checks") is { Count: > 0 } || TomlRead.Get(context.Root, "checks") is TomlArray { Count: > 0 };
        return topLevel || context.AllServices().Any(s =>
            TomlRead.Tables(s, "checks").Count + TomlRead.Tables(s, "tcp_checks").Count + TomlRead.Tables(s, "http_checks").Count > 0);
    }
}
