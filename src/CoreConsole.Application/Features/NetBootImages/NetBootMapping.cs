using System.Text.Json;
using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Contracts.Agents;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.NetBootImages;

public sealed record ModelOverrideView(string Model, Guid ImageId);

public sealed record CatalogueVersionView(int Number, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>The mapping as the page edits it; <see cref="Version"/> goes back with the save (optimistic concurrency).</summary>
public sealed record NetBootMappingView(
    string? ShareUrl, Guid? DefaultImageId, IReadOnlyList<ModelOverrideView> Overrides, int Version,
    DateTimeOffset? UpdatedAt, string? UpdatedBy, CatalogueVersionView? Published);

public sealed record GetNetBootMappingQuery : IQuery<NetBootMappingView>;

public sealed class GetNetBootMappingHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<GetNetBootMappingQuery, NetBootMappingView>
{
    public async ValueTask<NetBootMappingView> Handle(GetNetBootMappingQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var m = await db.NetBootImageMappings.AsNoTracking().Include(x => x.Overrides).FirstAsync(x => x.Id == NetBootImageMapping.SingletonId, ct);
        var latest = await db.CatalogueVersions.AsNoTracking().OrderByDescending(c => c.Number)
            .Select(c => new CatalogueVersionView(c.Number, c.CreatedAt, c.CreatedBy)).FirstOrDefaultAsync(ct);
        return new NetBootMappingView(m.ShareUrl, m.DefaultImageId,
            [.. m.Overrides.OrderBy(o => o.Model, StringComparer.Ordinal).Select(o => new ModelOverrideView(o.Model, o.ImageId))],
            m.Version, m.UpdatedAt, m.UpdatedBy, latest);
    }
}

public sealed record ModelOverrideInput(string Model, Guid ImageId);

/// <summary>
/// Save = publish: stores the mapping and writes a new immutable catalogue version for the representatives, then has a
/// push job tell them to sync. Refused (nothing changes) when any choice would point a Mac at nothing.
/// </summary>
[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record SaveNetBootMappingCommand(string ShareUrl, Guid? DefaultImageId, IReadOnlyList<ModelOverrideInput> Overrides, int Version)
    : ICommand<Result<CatalogueVersionView>>, IAuditedCommand;

public sealed class SaveNetBootMappingValidator : AbstractValidator<SaveNetBootMappingCommand>
{
    public SaveNetBootMappingValidator()
    {
        RuleFor(x => x.ShareUrl).ValidShareUrl();
        RuleFor(x => x.Overrides).NotNull();
        RuleForEach(x => x.Overrides).ChildRules(o =>
        {
            o.RuleFor(x => x.Model).NotEmpty().WithMessage("Choose a model.")
                .MaximumLength(128).WithMessage("A model identifier has at most 128 characters.")
                .Must(m => m == m?.Trim()).WithMessage("A model identifier has no leading or trailing spaces.");
            o.RuleFor(x => x.ImageId).NotEmpty().WithMessage("Choose an image.");
        }).OverridePropertyName(nameof(SaveNetBootMappingCommand.Overrides));
        RuleFor(x => x.Overrides).Must(os => os.Select(o => o.Model).Distinct(StringComparer.Ordinal).Count() == os.Count)
            .When(x => x.Overrides is not null)
            .WithMessage(x => $"Each model may have one override; {string.Join(", ", x.Overrides.GroupBy(o => o.Model, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))} appears more than once.");
        RuleFor(x => x.DefaultImageId).NotNull()
            .When(x => x.Overrides is { Count: 0 })
            .WithMessage("Choose a default image (or add a model override); otherwise no Mac is offered anything.");
    }
}

public sealed class SaveNetBootMappingHandler(IDbContextFactory<AppDbContext> dbFactory, ICurrentUser currentUser, WorkQueue queue, TimeProvider clock)
    : ICommandHandler<SaveNetBootMappingCommand, Result<CatalogueVersionView>>
{
    public async ValueTask<Result<CatalogueVersionView>> Handle(SaveNetBootMappingCommand c, CancellationToken ct)
    {
        var shareUrl = ShareUrlRules.Normalize(c.ShareUrl);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mapping = await db.NetBootImageMappings.Include(x => x.Overrides).FirstAsync(x => x.Id == NetBootImageMapping.SingletonId, ct);
        if (mapping.Version != c.Version)
            return Error.Conflict($"Someone else saved the mapping (version {mapping.Version}) while you were editing version {c.Version}. Your changes are still in the form: reload to see theirs, then apply yours again.");

        var images = await db.NetBootImages.Where(i => i.ShareUrl == shareUrl).ToListAsync(ct);
        var byId = images.ToDictionary(i => i.Id);
        var errors = new Dictionary<string, string[]>();

        NetBootImage? defaultImage = null;
        if (c.DefaultImageId is { } defaultId)
        {
            if (!byId.TryGetValue(defaultId, out defaultImage))
                errors[nameof(c.DefaultImageId)] = [await NotOnShareAsync(db, defaultId, shareUrl, ct)];
            else if (ImageRules.WhyUnusable(defaultImage, shareUrl, images) is { } why)
                errors[nameof(c.DefaultImageId)] = [$"The default image cannot be used: {why}."];
        }

        var overrides = new List<(string Model, NetBootImage Image)>();
        for (int i = 0; i < c.Overrides.Count; i++)
        {
            var o = c.Overrides[i];
            var key = $"{nameof(c.Overrides)}[{i}]";
            if (!byId.TryGetValue(o.ImageId, out var image))
                errors[key] = [$"{o.Model}: {await NotOnShareAsync(db, o.ImageId, shareUrl, ct)}"];
            else if (ImageRules.WhyUnusable(image, shareUrl, images) is { } why)
                errors[key] = [$"{o.Model}: {why}."];
            else if (ModelAcceptance.WhyNot(o.Model, image) is { } excluded)
                errors[key] = [$"{o.Model} would boot nothing: \"{image.Name}\" excludes it ({excluded})."];
            else
                overrides.Add((o.Model, image));
        }

        if (errors.Count > 0) return Error.Validation(errors);

        int number = (await db.CatalogueVersions.MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;
        var build = CatalogueBuilder.Build(number, shareUrl, defaultImage, overrides);
        if (build.Problems.Count > 0)
            return Error.Validation(nameof(c.ShareUrl), "Cannot publish: " + string.Join("; ", build.Problems.Values) + ".");

        var before = Describe(mapping, id => images.FirstOrDefault(i => i.Id == id)?.Name);
        var user = await currentUser.GetAsync(ct);
        var now = clock.GetUtcNow();

        // The client's version is the concurrency token: a save that raced past the check above still fails in SaveChanges.
        db.Entry(mapping).Property(m => m.Version).OriginalValue = c.Version;
        mapping.ShareUrl = shareUrl;
        mapping.DefaultImageId = defaultImage?.Id;
        mapping.UpdatedAt = now;
        mapping.UpdatedBy = user.Name;
        var wanted = c.Overrides.ToDictionary(o => o.Model, o => o.ImageId, StringComparer.Ordinal);
        mapping.Overrides.RemoveAll(o => !wanted.ContainsKey(o.Model));
        foreach (var (model, imageId) in wanted)
        {
            if (mapping.Overrides.FirstOrDefault(o => o.Model == model) is { } existing) existing.ImageId = imageId;
            else db.Add(new ModelOverride { Id = Guid.NewGuid(), MappingId = mapping.Id, Model = model, ImageId = imageId }); // Added, not "modified"
        }

        var version = new CatalogueVersion
        {
            Number = number, CreatedAt = now, CreatedBy = user.Name, MappingVersion = c.Version + 1,
            Json = JsonSerializer.Serialize(build.Document, AgentProtocol.JsonOptions),
        };
        db.CatalogueVersions.Add(version);
        await db.SaveChangesAsync(ct);

        AuditTrail.Record("NetBootImageMapping", mapping.Id, before, Describe(mapping, id => byId.GetValueOrDefault(id)?.Name),
            $"Mapping saved; catalogue version {number} published ({build.Document.Images.Count} images, {overrides.Count} model overrides)");
        await queue.EnqueueAsync(NotifyCatalogueHandler.WorkKind, number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            key: $"notify-catalogue-{number}", ct: ct);
        return new CatalogueVersionView(number, now, user.Name);
    }

    private static async Task<string> NotOnShareAsync(AppDbContext db, Guid id, string shareUrl, CancellationToken ct)
    {
        var elsewhere = await db.NetBootImages.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        return elsewhere is null
            ? "the chosen image does not exist (it may have been removed); browse the share again"
            : $"\"{elsewhere.Name}\" is on {elsewhere.ShareUrl}, not on {shareUrl}; browse {shareUrl} and choose from it";
    }

    private static object Describe(NetBootImageMapping m, Func<Guid, string?> name) => new
    {
        m.ShareUrl,
        Default = m.DefaultImageId is { } d ? name(d) ?? d.ToString() : null,
        Overrides = m.Overrides.OrderBy(o => o.Model, StringComparer.Ordinal).ToDictionary(o => o.Model, o => name(o.ImageId) ?? o.ImageId.ToString()),
    };
}

/// <summary>The latest published catalogue, for the agent API to serve to representatives; null before the first save.</summary>
public sealed record GetPublishedCatalogueQuery : IQuery<PublishedCatalogue?>;

public sealed record PublishedCatalogue(int Number, DateTimeOffset CreatedAt, CatalogueDocument Document);

public sealed class GetPublishedCatalogueHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<GetPublishedCatalogueQuery, PublishedCatalogue?>
{
    public async ValueTask<PublishedCatalogue?> Handle(GetPublishedCatalogueQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.CatalogueVersions.AsNoTracking().OrderByDescending(c => c.Number).FirstOrDefaultAsync(ct);
        return latest is null ? null
            : new PublishedCatalogue(latest.Number, latest.CreatedAt, JsonSerializer.Deserialize<CatalogueDocument>(latest.Json, AgentProtocol.JsonOptions)!);
    }
}
