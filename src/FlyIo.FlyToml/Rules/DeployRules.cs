using FlyIo.AppModel;
using FlyIo.Diagnostics;
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

        if (strategy.Value is "canary" or "bluegreen" && context.Config.HasMounts)
        {
            // canary: flyctl's own refusal. bluegreen: Fly's docs, since each green machine would need its blue machine's volume.
            context.Sink.Error(FlyCodes.StrategyRefusedWithMounts, strategy.Position,
                $"The {strategy.Value} deployment strategy is not supported when using mounted volumes: a volume belongs to one machine. Use strategy = \"rolling\" (or \"immediate\"), or remove [[mounts]].");
        }

        if (strategy.Value == "bluegreen" && !context.Config.HasHealthChecks)
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
}
