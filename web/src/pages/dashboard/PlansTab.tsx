import { useCallback, useEffect, useState, type FormEvent } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { StudioPlansQuery } from "../../gql/graphql";
import { formatMoney, moneyInput, parseMoney } from "../../money";

type Plan = StudioPlansQuery["sponsorshipPlans"][number];

/** What the server accepts by default (Sponsorship:Currencies); it refuses others with a clear message. */
const currencies = ["usd", "eur", "uah"];

const StudioPlansQueryDocument = graphql(`
  query StudioPlans($c: ID!) {
    sponsorshipPlans(channelId: $c, includeArchived: true) {
      id
      title
      description
      price
      currency
      archived
      updatedAt
    }
  }
`);

const StudioCreatePlanMutation = graphql(`
  mutation StudioCreatePlan($input: CreateSponsorshipPlanInput!) {
    createSponsorshipPlan(input: $input) {
      id
    }
  }
`);

const StudioUpdatePlanMutation = graphql(`
  mutation StudioUpdatePlan($id: ID!, $input: UpdateSponsorshipPlanInput!) {
    updateSponsorshipPlan(id: $id, input: $input) {
      id
    }
  }
`);

const StudioArchivePlanMutation = graphql(`
  mutation StudioArchivePlan($id: ID!) {
    archiveSponsorshipPlan(id: $id) {
      id
      archived
    }
  }
`);

interface Draft {
  title: string;
  description: string;
  price: string;
  currency: string;
}

const emptyDraft: Draft = { title: "", description: "", price: "", currency: "usd" };

function PlanForm({ initial, editing, onSubmit, onCancel }: { initial: Draft; editing: boolean; onSubmit: (d: Draft) => Promise<boolean>; onCancel?: () => void }) {
  const { t } = useApp();
  const [draft, setDraft] = useState(initial);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const ok = await onSubmit(draft);
    setBusy(false);
    if (ok && !editing) setDraft(emptyDraft);
  };
  return (
    <form className="plan-form" data-testid={editing ? "plan-edit-form" : "plan-form"} onSubmit={submit}>
      <label>
        {t("planTitle")}
        <input data-testid="plan-title" required maxLength={60} value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
      </label>
      <label>
        {t("planDescription")}
        <textarea data-testid="plan-description" maxLength={500} rows={2} value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
      </label>
      <div className="row wrap">
        <label className="grow">
          {t("planPrice")}
          <input
            data-testid="plan-price"
            required
            inputMode="decimal"
            placeholder="5.00"
            value={draft.price}
            onChange={(e) => setDraft({ ...draft, price: e.target.value })}
          />
        </label>
        <label>
          {t("planCurrency")}
          <select data-testid="plan-currency" value={draft.currency} onChange={(e) => setDraft({ ...draft, currency: e.target.value })}>
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row wrap">
        <button type="submit" data-testid="plan-save" disabled={busy}>
          {editing ? t("save") : t("createPlan")}
        </button>
        {onCancel && (
          <button type="button" className="ghost" onClick={onCancel}>
            {t("cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

/** The channel's sponsorship plans, archived ones included (only the owner sees those): create, edit, archive. */
export function PlansTab({ channelId }: { channelId: string }) {
  const { t, lang, toast } = useApp();
  const [plans, setPlans] = useState<Plan[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const load = useCallback(() => {
    request(StudioPlansQueryDocument, { c: channelId })
      .then((d) => setPlans(d.sponsorshipPlans))
      .catch((e: Error) => toast("error", e.message));
  }, [channelId, toast]);

  useEffect(load, [load]);

  const price = (draft: Draft) => {
    const minor = parseMoney(draft.price, draft.currency);
    if (minor === null) toast("error", t("badPrice"));
    return minor;
  };

  const create = async (draft: Draft) => {
    const minor = price(draft);
    if (minor === null) return false;
    try {
      await request(StudioCreatePlanMutation, { input: { title: draft.title, description: draft.description, price: minor, currency: draft.currency } });
      toast("success", t("planCreated"));
      load();
      return true;
    } catch (e) {
      toast("error", (e as Error).message);
      return false;
    }
  };

  const update = async (plan: Plan, draft: Draft) => {
    const minor = price(draft);
    if (minor === null) return false;
    try {
      await request(StudioUpdatePlanMutation, {
        id: plan.id,
        input: { title: draft.title, description: draft.description, price: minor, currency: draft.currency },
      });
      toast("success", t("planUpdated"));
      setEditing(null);
      load();
      return true;
    } catch (e) {
      toast("error", (e as Error).message);
      return false;
    }
  };

  const archive = async (plan: Plan) => {
    if (!confirm(t("archiveConfirm", { title: plan.title }))) return;
    try {
      await request(StudioArchivePlanMutation, { id: plan.id });
      toast("success", t("planArchived"));
      load();
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  if (!plans) return <p className="muted">{t("loading")}</p>;
  const ordered = [...plans].sort((a, b) => Number(a.archived) - Number(b.archived));
  return (
    <>
      <section className="panel" data-testid="plans">
        <h2>{t("plansTitle")}</h2>
        <p className="muted">{t("plansHint")}</p>
        {ordered.length === 0 ? (
          <p className="muted" data-testid="no-plans">
            {t("noPlans")}
          </p>
        ) : (
          <ul className="studio-list plans">
            {ordered.map((p) => (
              <li key={p.id} data-testid="plan" data-title={p.title} data-archived={p.archived} className={p.archived ? "archived" : undefined}>
                {editing === p.id ? (
                  <PlanForm
                    editing
                    initial={{ title: p.title, description: p.description, price: moneyInput(p.price, p.currency), currency: p.currency }}
                    onSubmit={(d) => update(p, d)}
                    onCancel={() => setEditing(null)}
                  />
                ) : (
                  <>
                    <div className="plan-info">
                      <strong data-testid="plan-name">{p.title}</strong>{" "}
                      <span className="plan-price" data-testid="plan-price-text">
                        {t("perMonth", { price: formatMoney(p.price, p.currency, lang) })}
                      </span>
                      {p.archived && (
                        <span className="badge-archived" data-testid="plan-archived">
                          {t("archived")}
                        </span>
                      )}
                      {p.description && <div className="muted">{p.description}</div>}
                    </div>
                    {!p.archived && (
                      <div className="row">
                        <button type="button" className="ghost" data-testid="plan-edit" onClick={() => setEditing(p.id)}>
                          {t("edit")}
                        </button>
                        <button type="button" className="danger" data-testid="plan-archive" onClick={() => archive(p)}>
                          {t("archive")}
                        </button>
                      </div>
                    )}
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel">
        <h2>{t("newPlan")}</h2>
        <PlanForm initial={emptyDraft} editing={false} onSubmit={create} />
      </section>
    </>
  );
}
