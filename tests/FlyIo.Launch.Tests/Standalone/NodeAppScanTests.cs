using FlyIo.Launch.Standalone;
using NUnit.Framework;

namespace FlyIo.Launch.Tests.Standalone;

/// <summary>Node folders built on disk: Express and Fastify, PORT passing, npm scripts, and what does not count as a health route.</summary>
public sealed class NodeAppScanTests
{
    private TempAppFolder _app = null!;

    [SetUp]
    public void CreateFolder() => _app = new TempAppFolder();

    [TearDown]
    public void DeleteFolder() => _app.Dispose();

    [Test]
    public void FastifyReadingPortWithoutEnvPortInImageNeedsPortVariable()
    {
        _app.Write("Dockerfile", "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD [\"node\", \"server.js\"]\n")
            .Write("package.json", "{ \"name\": \"api\", \"type\": \"module\", \"dependencies\": { \"fastify\": \"^4.28.0\" } }\n")
            .Write("server.js", "import Fastify from \"fastify\";\n\nconst fastify = Fastify();\nfastify.get(\"/healthz\", async () => ({ ok: true }));\nfastify.listen({ port: Number(process.env.PORT) || 3000, host: \"0.0.0.0\" });\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile)!;

        Assert.That(facts.Language, Is.EqualTo("Node"));
        Assert.That(facts.Framework, Is.EqualTo("Fastify"));
        Assert.That(facts.Port, Is.EqualTo(3000));
        Assert.That(facts.PortReason, Is.EqualTo("server.js(5,49): process.env.PORT || 3000"));
        Assert.That(facts.PortVariable, Is.EqualTo("PORT"));
        Assert.That(facts.HealthPath, Is.EqualTo("/healthz"));
        Assert.That(facts.HealthPathReason, Is.EqualTo("server.js(4,1): fastify.get(\"/healthz\", ...)"));
    }

    [Test]
    public void PostHealthRouteIsIgnoredAndGetPingIsTaken()
    {
        _app.Write("package.json", "{ \"main\": \"app.js\", \"dependencies\": { \"express\": \"^4.21.0\" } }\n")
            .Write("app.js", "const express = require(\"express\");\nconst app = express();\napp.post(\"/health\", (req, res) => res.sendStatus(204));\napp.get(\"/ping\", (req, res) => res.send(\"pong\"));\napp.listen(8080);\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, null)!;

        Assert.That(facts.Framework, Is.EqualTo("Express"));
        Assert.That(facts.HealthPath, Is.EqualTo("/ping"));
        Assert.That(facts.Port, Is.EqualTo(8080));
        Assert.That(facts.PortReason, Is.EqualTo("app.js(5,1): app.listen(8080)"));
        Assert.That(facts.PortVariable, Is.Null, "the app never reads PORT");
    }

    [Test]
    public void OnlyPostHealthRouteMeansNoHealthPath()
    {
        _app.Write("package.json", "{ \"dependencies\": { \"express\": \"^4.21.0\" } }\n")
            .Write("index.js", "const app = require(\"express\")();\napp.post(\"/health\", (req, res) => res.sendStatus(204));\napp.get(\"/api/items\", (req, res) => res.json([]));\napp.listen(3000);\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, null)!;

        Assert.That(facts.HealthPath, Is.Null);
        Assert.That(facts.HealthPathReason, Is.Null);
    }

    [Test]
    public void EnvPortInTheImageDecidesOverTheAppsFallback()
    {
        _app.Write("Dockerfile", "FROM node:20-slim\nCOPY . .\nENV PORT=8080\nCMD [\"npm\", \"start\"]\n")
            .Write("package.json", "{ \"scripts\": { \"start\": \"node src/main.js\" }, \"dependencies\": { \"express\": \"4.21.0\" } }\n")
            .Write("src/main.js", "const express = require(\"express\");\nrequire(\"./routes\")(express());\n")
            .Write("src/routes.js", "module.exports = (app) => {\n  app.get(\"/health\", (req, res) => res.send(\"ok\"));\n  app.listen(process.env.PORT ?? 3000);\n};\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile)!;

        Assert.That(facts.Port, Is.EqualTo(8080));
        Assert.That(facts.PortReason, Is.EqualTo("Dockerfile(3): ENV PORT=8080"));
        Assert.That(facts.PortVariable, Is.Null);
        Assert.That(facts.HealthPath, Is.EqualTo("/health"), "found in the module the npm start script's entry requires");
        Assert.That(facts.HealthPathReason, Is.EqualTo("src/routes.js(2,3): app.get(\"/health\", ...)"));
    }

    [Test]
    public void FastifyCliPortInTheStartScriptCounts()
    {
        _app.Write("Dockerfile", "FROM node:20-slim\nCOPY . .\nCMD npm run serve\n")
            .Write("package.json", "{ \"scripts\": { \"serve\": \"fastify start -l info -p 4000 app.js\" }, \"dependencies\": { \"fastify\": \"^4\", \"fastify-cli\": \"^6\" } }\n")
            .Write("app.js", "module.exports = async function (fastify) {\n  fastify.get(\"/readyz\", async () => \"ok\");\n};\n");

        var facts = StandaloneAppScanner.Scan(_app.Path, _app.Dockerfile)!;

        Assert.That(facts.Framework, Is.EqualTo("Fastify"));
        Assert.That(facts.Port, Is.EqualTo(4000));
        Assert.That(facts.PortReason, Is.EqualTo("package.json: scripts.serve fastify ... -p 4000"));
        Assert.That(facts.HealthPath, Is.EqualTo("/readyz"));
    }
}
