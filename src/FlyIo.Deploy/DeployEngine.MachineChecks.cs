using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.AppModel.Units;
using FlyIo.Diagnostics;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>
/// fly.toml's machine checks, run as flyctl runs them: once a deployed machine is healthy, each check of its group
/// runs in a one-shot machine of its own beside it (FLY_TEST_MACHINE_IP = the machine's private address), and only
/// an exit code of 0 lets the deploy count that machine as deployed. A failure rolls back like a failed health check.
/// </summary>
public sealed partial class DeployEngine
{
    public const string TestMachineGroup = "fly_app_test_machine_command";

    /// <param name="target">The machine as the read that confirmed it healthy returned it: no second GET.</param>
    private async Task RunMachineChecksAsync(Machine target, long? secretsVersion, CancellationToken ct)
    {
        foreach (var check in _config.MachineChecks.Where(c => c.AppliesTo(target.ProcessGroup)))
        {
            var command = string.Join(" ", check.Command);
            if (check.Command.Count == 0)
            {
                throw new DeployException(FlyCodes.MachineCheckFailed, $"A machine check of group '{target.ProcessGroup}' has no command: add command = [...] to it in fly.toml.");
            }

            var config = TestMachineConfig(check, target);
            Say($"Running machine check '{command}' against {target.Id}");
            var machine = await _client.CreateMachineAsync(_app, new CreateMachineRequest(config.ToJson())
            {
                Region = target.Region,
                SkipServiceRegistration = true,
                MinSecretsVersion = secretsVersion,
            }, ct).ConfigureAwait(false);
            try
            {
                var outcome = await WaitForReleaseMachineAsync(machine, _config.ReleaseCommandTimeout, ct).ConfigureAwait(false);
                if (outcome.Kind == ReleaseOutcomeKind.Exited && outcome.ExitCode == 0 && !outcome.RequestedStop)
                {
                    Say($"Machine check '{command}' passed against {target.Id}");
                    continue;
                }

                var lastLines = await MachineLogTail.ReadAsync(_client, _app, machine.Id, TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
                await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
                var how = outcome.Kind switch
                {
                    ReleaseOutcomeKind.StillRunning => $"did not finish within release_command_timeout = {GoDuration.FormatGo(_config.ReleaseCommandTimeout)} and was destroyed",
                    ReleaseOutcomeKind.DidNotRun => "never ran to an exit: " + outcome.Reason,
                    _ => $"exited with code {outcome.ExitCode}" + (outcome.OomKilled ? " (out of memory)" : ""),
                };
                throw new DeployException(FlyCodes.MachineCheckFailed,
                    $"Machine check '{command}' (machine {machine.Id}, image {config.Image}) against {target.Id} [{target.ProcessGroup}, {target.Region}] {how}.", logTail: lastLines);
            }
            catch (OperationCanceledException)
            {
                await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>flyctl's ToTestMachineConfig: the check's command in the check's image (else the machine's), one-shot, with the machine's env.</summary>
    private MachineConfig TestMachineConfig(FlyMachineCheck check, Machine target)
    {
        var original = MachineConfig.FromJson(target.Config);
        var config = new MachineConfig
        {
            Image = check.Image ?? target.Image,
            InitCmd = check.Command.ToList(),
            InitEntrypoint = (check.Entrypoint ?? _config.ExperimentalEntrypoint ?? original.InitEntrypoint)?.ToList(),
            RestartPolicy = "no",
            AutoDestroy = true,
            SkipDnsRegistration = true,
            Guest = original.Guest,
        };
        foreach (var kv in _config.Env.Concat(original.Env))
        {
            config.Env[kv.Key] = kv.Value;
        }

        config.Env["FLY_TEST_COMMAND"] = "1";
        config.Env["FLY_PROCESS_GROUP"] = TestMachineGroup;
        config.Env["FLY_TEST_MACHINE_IP"] = target.PrivateIp ?? "";
        if (_config.PrimaryRegion is not null)
        {
            config.Env["PRIMARY_REGION"] = _config.PrimaryRegion;
        }

        // A check with an image of its own stops as that image does unless the check says otherwise (flyctl).
        config.StopSignal = check.KillSignal ?? (check.Image is null ? _config.KillSignal : null);
        config.StopTimeout = check.KillTimeout ?? (check.Image is null ? _config.KillTimeout : null);
        config.Metadata["fly_platform_version"] = "v2";
        config.Metadata["fly_process_group"] = TestMachineGroup;
        if (target.Metadata("fly_release_version") is { } release)
        {
            config.Metadata["fly_release_version"] = release;
        }

        return config;
    }
}
