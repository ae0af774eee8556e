using System.Collections.Generic;
using System.Linq;
using System.Text;
using FlyIo.Toml.Editing;

namespace FlyIo.Launch;

/// <summary>
/// Renders a <see cref="LaunchPlan"/> as fly.toml text: LF line ends, the key order flyctl writes, and a comment above
/// each derived value saying where it came from. The same plan always renders the same bytes.
/// </summary>
public static class LaunchTomlWriter
{
    public static string Render(LaunchPlan plan)
    {
        var w = new Lines();
        w.Comment($"fly.toml for {plan.MadeFrom}, written by FlyLaunch (FlyIo.Sdk). Each comment says where the value below it came from.");
        w.Comment("Check it: dotnet build -t:FlyValidate. Deploy it: dotnet publish -t:FlyDeploy.");
        w.Comment("Every key: https://fly.io/docs/reference/configuration/");
        w.Blank();
        w.Comment(plan.AppReason);
        w.Key("app", TomlText.BasicString(plan.App));
        w.Comment(plan.RegionReason);
        w.Key("primary_region", TomlText.BasicString(plan.Region));

        if (plan.ReleaseCommand is not null)
        {
            w.Blank();
            w.Table("[deploy]");
            w.Comment(plan.ReleaseReason, 1);
            w.Key("release_command", TomlText.BasicString(plan.ReleaseCommand), 1);
        }

        WriteEnv(w, plan);
        WriteSecrets(w, plan);
        WriteHttpService(w, plan);

        w.Blank();
        w.Table("[[vm]]");
        w.Comment(plan.Vm.Reason, 1);
        w.Key("memory", TomlText.BasicString(plan.Vm.Memory), 1);
        w.Key("cpu_kind", TomlText.BasicString(plan.Vm.CpuKind), 1);
        w.Key("cpus", TomlText.Integer(plan.Vm.Cpus), 1);
        return w.ToString();
    }

    private static void WriteEnv(Lines w, LaunchPlan plan)
    {
        var settings = plan.Variables.Where(v => !v.IsSecret && v.ProvidedBy is null).ToList();
        if (plan.Env.Count == 0 && settings.Count == 0)
        {
            return;
        }

        w.Blank();
        w.Table("[env]");
        foreach (var env in plan.Env)
        {
            w.Comment(env.Reason, 1);
            w.Key(TomlText.Key(env.Name), TomlText.BasicString(env.Value), 1);
        }

        foreach (var setting in settings)
        {
            w.Comment($"{setting.Name}: {setting.ReadAt} with no fallback, and nothing sets it. Give it its value here (or make it a secret):", 1);
            w.Comment($"{TomlText.Key(setting.Name)} = \"\"", 1);
        }
    }

    private static void WriteSecrets(Lines w, LaunchPlan plan)
    {
        var secrets = plan.Variables.Where(v => v.IsSecret || v.ProvidedBy is not null).ToList();
        if (secrets.Count == 0)
        {
            return;
        }

        w.Blank();
        w.Comment("Secrets the app reads. Their values never go in this file:");
        foreach (var secret in secrets)
        {
            var by = secret.ProvidedBy is null ? "not set by the project yet" : "set at deploy by " + secret.ProvidedBy;
            w.Comment($"  {secret.Name}: {secret.ReadAt}; {by}.");
        }

        if (secrets.Any(s => s.ProvidedBy is null))
        {
            w.Comment("Set each with a FlySecret item, e.g. <FlySecret Include=\"NAME\" FromEnvironment=\"NAME\" />, or a FlySecretsFile;");
            w.Comment("FlyDeploy sets them on the app before any machine starts.");
        }
    }

    private static void WriteHttpService(Lines w, LaunchPlan plan)
    {
        w.Blank();
        if (plan.Http is not { } http)
        {
            w.Comment(plan.NoHttpReason ?? "No [http_service]: nothing in the app serves HTTP.");
            return;
        }

        w.Table("[http_service]");
        w.Comment(http.PortReason, 1);
        w.Key("internal_port", TomlText.Integer(http.InternalPort), 1);
        w.Comment("fly launch's defaults: HTTPS only; machines stop when idle and start on the next request.", 1);
        w.Key("force_https", TomlText.Boolean(LaunchDefaults.ForceHttps), 1);
        w.Key("auto_stop_machines", TomlText.BasicString(LaunchDefaults.AutoStopMachines), 1);
        w.Key("auto_start_machines", TomlText.Boolean(LaunchDefaults.AutoStartMachines), 1);
        w.Key("min_machines_running", TomlText.Integer(LaunchDefaults.MinMachinesRunning), 1);
        w.Key("processes", "[" + TomlText.BasicString(LaunchDefaults.ProcessGroup) + "]", 1);

        w.Blank();
        if (http.HealthPath is null)
        {
            w.Comment(http.HealthReason, 1);
            return;
        }

        w.Comment(http.HealthReason, 1);
        w.Table("[[http_service.checks]]", 1);
        w.Key("grace_period", TomlText.BasicString(LaunchDefaults.CheckGracePeriod), 2);
        w.Key("interval", TomlText.BasicString(LaunchDefaults.CheckInterval), 2);
        w.Key("method", TomlText.BasicString("GET"), 2);
        w.Key("timeout", TomlText.BasicString(LaunchDefaults.CheckTimeout), 2);
        w.Key("path", TomlText.BasicString(http.HealthPath), 2);
    }

    /// <summary>Indented lines joined with LF; comments are one line each (line breaks in a reason become spaces).</summary>
    private sealed class Lines
    {
        private readonly StringBuilder _text = new();

        public void Blank() => _text.Append('\n');

        public void Table(string header, int indent = 0) => Line(header, indent);

        public void Key(string key, string value, int indent = 0) => Line(key + " = " + value, indent);

        public void Comment(string? text, int indent = 0)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                Line("# " + text!.Replace("\r", " ").Replace("\n", " ").TrimEnd(), indent);
            }
        }

        private void Line(string text, int indent) => _text.Append(' ', indent * 2).Append(text).Append('\n');

        public override string ToString() => _text.ToString();
    }
}
