var builder = WebApplication.CreateBuilder(args);

// Required: no fallback.
var openAiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY")
    ?? throw new InvalidOperationException("OPENAI_API_KEY is not set");
var stripeKey = builder.Configuration["Stripe:ApiKey"]!;
var orders = builder.Configuration.GetConnectionString("Orders");
var maxItems = builder.Configuration.GetValue<int>("Cart:MaxItems");
var mail = builder.Configuration.GetSection("Mail").Get<MailOptions>()
    ?? throw new InvalidOperationException("Mail is not configured");

// Optional: each has a fallback or a null check.
var region = Environment.GetEnvironmentVariable("CACHE_REGION") ?? "ams";
var pageSize = builder.Configuration.GetValue("Paging:Size", 20);
var retries = builder.Configuration.GetValue<int>("Http:Retries", 3);
var banner = builder.Configuration["Banner"];
if (string.IsNullOrEmpty(banner)) { banner = "Welcome"; }
var flag = builder.Configuration["Features:Beta"] is "true";
builder.Services.Configure<MailOptions>(builder.Configuration.GetSection("Mail"));

// Platform-provided: never reported.
var flyRegion = Environment.GetEnvironmentVariable("FLY_REGION");
var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");

// Text that only looks like reads.
// var secret = Environment.GetEnvironmentVariable("IN_A_COMMENT");
/* builder.Configuration["In:Block:Comment"] */
var doc = "Environment.GetEnvironmentVariable(\"IN_A_STRING\")";
var verbatim = @"config[""In:Verbatim""]";
var raw = """
    builder.Configuration["In:Raw"]
    """;

var app = builder.Build();
app.MapGet("/", () => $"{openAiKey.Length} {stripeKey.Length} {orders} {maxItems} {mail.From} {region} {pageSize} {retries} {banner} {flag} {flyRegion} {environment} {doc}{verbatim}{raw}");
app.Run();

sealed class MailOptions
{
    public string From { get; set; } = "";
}
