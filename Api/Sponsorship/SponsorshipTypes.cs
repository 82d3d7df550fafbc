using GraphQL.Types;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Api.Sponsorship;

public sealed class SponsorshipPlanType : ObjectGraphType<SponsorshipPlan>
{
    public SponsorshipPlanType()
    {
        Name = "SponsorshipPlan";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field(x => x.Title);
        Field(x => x.Description);
        Field<NonNullGraphType<IntGraphType>>("price").Description("Monthly, in minor units of the currency (cents: 500 = 5.00).").Resolve(ctx => checked((int)ctx.Source.Price));
        Field(x => x.Currency).Description("Lower-case ISO 4217 code: usd, eur, uah.");
        Field(x => x.Archived);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("updatedAt").Resolve(ctx => ctx.Source.UpdatedAt);
    }
}

public sealed class SponsorshipCheckoutType : ObjectGraphType<SponsorshipCheckout>
{
    public SponsorshipCheckoutType()
    {
        Name = "SponsorshipCheckout";
        Field(x => x.Url).Description("The Stripe Checkout page to send the payer to.");
        Field(x => x.SessionId);
        Field<NonNullGraphType<IdGraphType>>("transactionId").Resolve(ctx => ctx.Source.TransactionId);
    }
}

public sealed class TransactionStatusType : EnumerationGraphType<TransactionStatus>
{
    public TransactionStatusType() => Name = "TransactionStatus";
}

public sealed class SponsorshipStatusType : EnumerationGraphType<SponsorshipStatus>
{
    public SponsorshipStatusType() => Name = "SponsorshipStatus";
}

public sealed class TransactionType : ObjectGraphType<PaymentTransaction>
{
    public TransactionType(IClusterClient cluster)
    {
        Name = "Transaction";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("payerId").Resolve(ctx => ctx.Source.PayerId);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field<NonNullGraphType<IdGraphType>>("planId").Resolve(ctx => ctx.Source.PlanId);
        Field(x => x.PlanTitle);
        Field<NonNullGraphType<LongGraphType>>("amount").Description("In minor units of the currency.").Resolve(ctx => ctx.Source.Amount);
        Field(x => x.Currency);
        Field<NonNullGraphType<TransactionStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("updatedAt").Resolve(ctx => ctx.Source.UpdatedAt);
        Field<ChannelType>("payer").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.PayerId).GetAsync());
        Field<ChannelType>("channel").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.ChannelId).GetAsync());
    }
}

public sealed class SponsorshipType : ObjectGraphType<ChannelSponsorship>
{
    public SponsorshipType(IClusterClient cluster)
    {
        Name = "Sponsorship";
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field<NonNullGraphType<IdGraphType>>("sponsorId").Resolve(ctx => ctx.Source.PayerId);
        Field<NonNullGraphType<IdGraphType>>("planId").Resolve(ctx => ctx.Source.PlanId);
        Field(x => x.PlanTitle);
        Field<NonNullGraphType<SponsorshipStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("since").Resolve(ctx => ctx.Source.StartedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("expiresAt")
            .Description("When it stops counting: paidUntil plus the renewal grace (a day by default) while it renews, as Stripe collects a renewal about an hour after the period; paidUntil once it does not.")
            .Resolve(ctx => ctx.Source.ExpiresAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("paidUntil")
            .Description("The end of the time paid for: the next renewal while autoRenew is on, the end of the sponsorship once it is off.")
            .Resolve(ctx => ctx.Source.PaidUntil);
        Field(x => x.AutoRenew).Description("False once renewal is turned off (cancelSponsorship, or on Stripe): the paid period then runs out.");
        Field<ChannelType>("channel").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.ChannelId).GetAsync());
        Field<ChannelType>("sponsor").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.PayerId).GetAsync());
    }
}

public sealed class TransactionEdgeType : EdgeType<TransactionType, PaymentTransaction>
{
    public TransactionEdgeType()
        : base("TransactionEdge")
    {
    }
}

public sealed class TransactionConnectionType : ConnectionType<TransactionEdgeType, PaymentTransaction>
{
    public TransactionConnectionType()
        : base("TransactionConnection")
    {
    }
}

public sealed class SponsorEdgeType : EdgeType<SponsorshipType, ChannelSponsorship>
{
    public SponsorEdgeType()
        : base("SponsorEdge")
    {
    }
}

public sealed class SponsorConnectionType : ConnectionType<SponsorEdgeType, ChannelSponsorship>
{
    public SponsorConnectionType()
        : base("SponsorConnection")
    {
    }
}

public sealed class SponsorshipPlanInputModel
{
    public string Title { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public long Price { get; set; }

    public string Currency { get; set; } = string.Empty;
}

public sealed class CreateSponsorshipPlanInputType : InputObjectGraphType<SponsorshipPlanInputModel>
{
    public CreateSponsorshipPlanInputType()
    {
        Name = "CreateSponsorshipPlanInput";
        Field(x => x.Title).Description("1 to 60 characters.");
        Field(x => x.Description, nullable: true).Description("At most 500 characters.");
        Field<NonNullGraphType<IntGraphType>>("price").Description("Monthly, in minor units (cents).");
        Field(x => x.Currency).Description("usd, eur or uah (as configured).");
    }
}

public sealed class SponsorshipPlanUpdateModel
{
    public string? Title { get; set; }

    public string? Description { get; set; }

    public long? Price { get; set; }

    public string? Currency { get; set; }
}

public sealed class UpdateSponsorshipPlanInputType : InputObjectGraphType<SponsorshipPlanUpdateModel>
{
    public UpdateSponsorshipPlanInputType()
    {
        Name = "UpdateSponsorshipPlanInput";
        Description = "Fields left out keep their value. A new price applies to new sponsors; existing ones keep theirs.";
        Field(x => x.Title, nullable: true);
        Field(x => x.Description, nullable: true);
        Field<IntGraphType>("price");
        Field(x => x.Currency, nullable: true);
    }
}
