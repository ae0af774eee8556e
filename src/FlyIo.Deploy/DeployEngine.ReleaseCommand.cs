using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.FlyToml;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>The release command machine: run before any app machine changes, exactly as flyctl runs it.</summary>
public sealed partial class DeployEngine
{
    private async Task RunReleaseCommandAsync(string image, IReadOnlyList<Machine> machines, DeployResult result, long? secretsVersion, CancellationToken ct)
    {
        var words = ShellWords.Split(_config.ReleaseCommand!);
        if (!words.Success)
        {
            throw new DeployException(DeployCodes.InvalidSettings, $"release_command '{_config.ReleaseCommand}' does not split like a shell line: {words.Error}.");
        }

        var config = ReleaseCommandConfig(image, words.Words.ToList(), machines, result.ReleaseVersion);
        var timeout = _config.ReleaseCommandTimeout;
        Say($"Running release command: {string.Join(" ", words.Words)} (timeout {GoDurations.Format(timeout)})");
        var machine = await _client.CreateMachineAsync(_app, new CreateMachineRequest(config.ToJson())
        {
            Region = _config.PrimaryRegion,
            SkipLaunch = true,
            SkipServiceRegistration = true,
            MinSecretsVersion = secretsVersion,
        }, ct).ConfigureAwait(false);
        var began = Stopwatch.StartNew();
        try
        {
            await _client.StartMachineAsync(_app, machine.Id, null, ct).ConfigureAwait(false);
            var state = await _client.WaitForStateAsync(_app, machine.Id, new[] { "started", "destroyed", "failed" }, machine.InstanceId, timeout, ct).ConfigureAwait(false);
            if (state == "started")
            {
                state = await _client.WaitForStateAsync(_app, machine.Id, new[] { "destroyed", "failed" }, machine.InstanceId, timeout - began.Elapsed, ct).ConfigureAwait(false);
            }

            if (state is null)
            {
                Say($"Release command machine {machine.Id} still running after {GoDurations.Format(timeout)}: destroying it");
                var lastLines = await MachineLogTail.ReadAsync(_client, _app, machine.Id, TimeSpan.Zero, ct).ConfigureAwait(false);
                await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
                throw new DeployException(DeployCodes.ReleaseCommandTimedOut,
                    $"The release command '{_config.ReleaseCommand}' (machine {machine.Id}) did not finish within release_command_timeout = {GoDurations.Format(timeout)}; it was stopped and destroyed. No app machine was changed. Raise [deploy] release_command_timeout if it needs longer.", logTail: lastLines);
            }

            var events = await _client.GetEventsAsync(_app, machine.Id, null, ct).ConfigureAwait(false);
            var code = MachineEvent.LatestExitCode(events) ?? 0;
            var exit = events.FirstOrDefault(e => e.Type == "exit");
            result.ReleaseCommandExitCode = code;
            if (state == "failed")
            {
                await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
            }

            if (code != 0)
            {
                var lastLines = await MachineLogTail.ReadAsync(_client, _app, machine.Id, TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
                throw new DeployException(DeployCodes.ReleaseCommandFailed,
                    $"The release command '{_config.ReleaseCommand}' (machine {machine.Id}, image {image}) exited with code {code}{(exit?.OomKilled == true ? " (killed: out of memory; raise [deploy.release_command_vm] memory)" : "")} after {began.Elapsed.TotalSeconds:0.0}s. No app machine was changed.", logTail: lastLines);
            }

            Say($"Release command finished with exit code 0 in {began.Elapsed.TotalSeconds:0.0}s");
        }
        catch (OperationCanceledException)
        {
            await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
            throw;
        }
    }

    private MachineConfig ReleaseCommandConfig(string image, List<string> words, IReadOnlyList<Machine> machines, int release)
    {
        var config = new MachineConfig { Image = image, InitCmd = words, RestartPolicy = "no", AutoDestroy = true, SkipDnsRegistration = true };
        foreach (var kv in _config.Env)
        {
            config.Env[kv.Key] = kv.Value;
        }

        config.Env["RELEASE_COMMAND"] = "1";
        config.Env["FLY_PROCESS_GROUP"] = ReleaseCommandGroup;
        if (_config.PrimaryRegion is not null)
        {
            config.Env["PRIMARY_REGION"] = _config.PrimaryRegion;
        }

        config.Guest = _config.ReleaseCommandVm
            ?? machines.Select(m => MachineConfig.FromJson(m.Config).Guest).OrderByDescending(g => g.Weight).FirstOrDefault()
            ?? GuestConfig.Preset("shared-cpu-2x")!;
        config.Metadata["fly_platform_version"] = "v2";
        config.Metadata["fly_process_group"] = ReleaseCommandGroup;
        config.Metadata["fly_release_version"] = release.ToString(CultureInfo.InvariantCulture);
        return config;
    }

    private async Task DestroyQuietlyAsync(string id)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _client.DeleteMachineAsync(_app, id, null, true, cts.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported by the caller's message; the machine has auto_destroy anyway.
        }
    }
}
