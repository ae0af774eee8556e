using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>Endpoints outside Fly's API (under /__admin, token-protected): fault rules, the edge proxy's ports, app names other organizations own.</summary>
public static class Admin
{
    public static void Map(WebApplication web, MachineEngine engine, FaultInjector faults, EdgeProxy proxy)
    {
        var g = web.MapGroup("/__admin");
        IResult Json(JsonNode n, int status = 200) => Results.Text(n.ToJsonString(), "application/json; charset=utf-8", statusCode: status);

        g.MapGet("/faults", () => Json(faults.Snapshot()));
        g.MapPut("/faults", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            faults.Replace(FaultInjector.Parse(await reader.ReadToEndAsync()));
            return Json(faults.Snapshot());
        });
        g.MapDelete("/faults", () =>
        {
            faults.Replace(new FaultSet());
            return Results.NoContent();
        });
        g.MapPost("/faults/rules", async (HttpContext ctx) =>
        {
            var rule = await JsonSerializer.DeserializeAsync<FaultRule>(ctx.Request.Body, LocalMachines.Json.Options) ?? throw new ArgumentException("rule body required");
            var added = faults.Add(rule);
            return Json(JsonSerializer.SerializeToNode(added, LocalMachines.Json.Options)!, 201);
        });
        g.MapDelete("/faults/rules/{id}", (string id) => faults.Remove(id) ? Results.NoContent() : throw new ApiException(404, "rule not found"));
        g.MapGet("/proxy", () =>
        {
            var o = new JsonObject { ["runtime"] = engine.Runtime.Name };
            var apps = new JsonObject();
            lock (engine.Gate)
                foreach (var name in engine.Apps.Keys) apps[name] = proxy.Describe(name);
            o["apps"] = apps;
            return Json(o);
        });
        // How often the process runtime unpacked an image into its root file system cache (once per image, not per launch).
        g.MapGet("/rootfs-cache", () => Json(new JsonObject
        {
            ["runtime"] = engine.Runtime.Name,
            ["unpacks"] = OperatingSystem.IsLinux() && engine.Runtime is ProcessRuntime p ? p.RootfsCache.Unpacks : 0,
        }));
        // An app name held by another organization, for the "name is taken" path of app creation.
        g.MapPost("/foreign-apps/{name}", (string name) =>
        {
            lock (engine.Gate) engine.ForeignAppNames.Add(name);
            return Results.NoContent();
        });
        g.MapPost("/proxy/{app}", (string app) =>
        {
            lock (engine.Gate) engine.App(app);
            return Json(proxy.Ensure(app));
        });
    }
}
