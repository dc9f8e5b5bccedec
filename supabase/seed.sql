-- Local development seed (`supabase db reset` runs it after the migrations): one demo organization.
-- API keys are not seeded: create one with `rekindle keys create --org demo` (it is shown once).
insert into public.organizations (id, name, settings)
values ('demo', 'Demo organization', '{"demo": true}'::jsonb)
on conflict (id) do nothing;
