//! Diesel table definitions, shared by the SQLite and PostgreSQL backends.
//! Keep in step with `migrations/{sqlite,postgres}`.

diesel::table! {
    actors (id) {
        id -> BigInt,
        ap_id -> Text,
        kind -> Text,
        name -> Text,
        domain -> Text,
        local -> Bool,
        display_name -> Nullable<Text>,
        summary -> Nullable<Text>,
        inbox -> Text,
        shared_inbox -> Nullable<Text>,
        outbox -> Nullable<Text>,
        followers_url -> Nullable<Text>,
        url -> Nullable<Text>,
        icon -> Nullable<Text>,
        public_key_id -> Text,
        public_key_pem -> Text,
        private_key_pem -> Nullable<Text>,
        manually_approves -> Bool,
        deleted -> Bool,
        raw -> Nullable<Text>,
        fetched_at -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        actor_id -> BigInt,
        username -> Text,
        password_hash -> Text,
        is_admin -> Bool,
        is_staff -> Bool,
        can_create_groups -> Bool,
        created_at -> BigInt,
        organisation_id -> Nullable<BigInt>,
        suspended_at -> Nullable<BigInt>,
        suspension_reason -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> BigInt,
        last_used_at -> BigInt,
    }
}

diesel::table! {
    groups (actor_id) {
        actor_id -> BigInt,
        title -> Text,
        description_md -> Text,
        guidelines_md -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> BigInt,
        welcome_md -> Text,
        who_may_ask -> Text,
        personal_data_patterns -> Text,
    }
}

diesel::table! {
    group_welcomes (id) {
        id -> BigInt,
        group_id -> BigInt,
        actor_id -> BigInt,
        content_html -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    group_moderators (group_id, actor_id) {
        group_id -> BigInt,
        actor_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    group_bans (group_id, actor_id) {
        group_id -> BigInt,
        actor_id -> BigInt,
        reason -> Text,
        expires_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    follows (follower_id, target_id) {
        follower_id -> BigInt,
        target_id -> BigInt,
        pending -> Bool,
        activity_ap_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    inbound_queue (id) {
        id -> BigInt,
        signer_id -> BigInt,
        activity -> Text,
        received_at -> BigInt,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        locked_until -> BigInt,
    }
}

diesel::table! {
    post_contexts (ap_id) {
        ap_id -> Text,
        context -> Text,
    }
}

diesel::table! {
    received_activities (ap_id) {
        ap_id -> Text,
        received_at -> BigInt,
    }
}

diesel::table! {
    activities (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_id -> BigInt,
        kind -> Text,
        body -> Text,
        public -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        activity_id -> BigInt,
        inbox -> Text,
        domain -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        locked_until -> BigInt,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    instances (domain) {
        domain -> Text,
        first_seen_at -> BigInt,
        last_success_at -> Nullable<BigInt>,
        last_failure_at -> Nullable<BigInt>,
        failure_streak -> Integer,
        retry_at -> BigInt,
        delivered_count -> BigInt,
        failed_count -> BigInt,
        blocked -> Bool,
        silenced -> Bool,
        allowed -> Bool,
    }
}

diesel::table! {
    site (id) {
        id -> Integer,
        instance_actor_id -> BigInt,
        name -> Text,
        description -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    instance_settings (id) {
        id -> Integer,
        name -> Nullable<Text>,
        description -> Nullable<Text>,
        registrations -> Nullable<Text>,
        group_creation -> Nullable<Text>,
        federation_mode -> Nullable<Text>,
        rate_limits -> Nullable<Bool>,
        instance_post_limit -> Nullable<Integer>,
        instance_vote_limit -> Nullable<Integer>,
        instance_report_limit -> Nullable<Integer>,
        updated_at -> BigInt,
        updated_by -> Nullable<BigInt>,
        hide_remote_personal_data -> Nullable<Bool>,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        code_hash -> Text,
        created_by -> Nullable<BigInt>,
        note -> Text,
        max_uses -> Integer,
        uses -> Integer,
        expires_at -> Nullable<BigInt>,
        revoked -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        ap_id -> Text,
        kind -> Text,
        group_id -> Nullable<BigInt>,
        author_id -> BigInt,
        question_id -> Nullable<BigInt>,
        parent_id -> Nullable<BigInt>,
        title -> Nullable<Text>,
        content_html -> Text,
        source_md -> Nullable<Text>,
        search_text -> Text,
        tags -> Text,
        url -> Nullable<Text>,
        local -> Bool,
        public -> Bool,
        deleted -> Bool,
        removed -> Bool,
        locked -> Bool,
        accepted_answer_id -> Nullable<BigInt>,
        upvotes -> Integer,
        downvotes -> Integer,
        answer_count -> Integer,
        published_at -> BigInt,
        updated_at -> Nullable<BigInt>,
        last_activity_at -> BigInt,
        created_at -> BigInt,
        featured -> Bool,
    }
}

diesel::table! {
    post_edits (id) {
        id -> BigInt,
        post_id -> BigInt,
        title -> Nullable<Text>,
        content_html -> Text,
        source_md -> Nullable<Text>,
        edited_at -> BigInt,
    }
}

diesel::table! {
    votes (post_id, actor_id) {
        post_id -> BigInt,
        actor_id -> BigInt,
        value -> Integer,
        ap_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        ap_id -> Nullable<Text>,
        reporter_id -> BigInt,
        reporter_domain -> Text,
        group_id -> Nullable<BigInt>,
        target_actor_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        reason -> Text,
        status -> Text,
        resolution_note -> Nullable<Text>,
        resolved_by -> Nullable<BigInt>,
        resolved_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    mod_log (id) {
        id -> BigInt,
        group_id -> Nullable<BigInt>,
        moderator_id -> Nullable<BigInt>,
        action -> Text,
        target_actor_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        domain -> Nullable<Text>,
        reason -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    organisations (id) {
        id -> BigInt,
        name -> Text,
        domain -> Text,
        logo_url -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    group_organisations (group_id, organisation_id) {
        group_id -> BigInt,
        organisation_id -> BigInt,
    }
}

diesel::table! {
    question_claims (question_id) {
        question_id -> BigInt,
        actor_id -> BigInt,
        organisation_id -> BigInt,
        claimed_at -> BigInt,
    }
}

diesel::table! {
    staff_approvals (answer_id) {
        answer_id -> BigInt,
        actor_id -> BigInt,
        organisation_id -> BigInt,
        approved_at -> BigInt,
    }
}

diesel::table! {
    staff_claims (actor_id) {
        actor_id -> BigInt,
        org_name -> Text,
        org_domain -> Text,
        verified -> Bool,
        reason -> Text,
        checked_at -> BigInt,
    }
}

diesel::table! {
    reputation_events (id) {
        id -> BigInt,
        subject_id -> BigInt,
        group_id -> Nullable<BigInt>,
        kind -> Text,
        value -> Integer,
        source_id -> Nullable<BigInt>,
        source_domain -> Text,
        source_fresh -> Bool,
        post_id -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    reputation_scores (actor_id, group_id) {
        actor_id -> BigInt,
        group_id -> BigInt,
        score -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    badges (actor_id, badge) {
        actor_id -> BigInt,
        badge -> Text,
        awarded_at -> BigInt,
    }
}

diesel::table! {
    group_privileges (group_id, privilege) {
        group_id -> BigInt,
        privilege -> Text,
        min_reputation -> BigInt,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        subject -> Text,
        actor_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        badge -> Nullable<Text>,
        report_id -> Nullable<BigInt>,
        created_at -> BigInt,
        read_at -> Nullable<BigInt>,
        email_state -> Text,
        emailed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    notification_prefs (user_id, kind) {
        user_id -> BigInt,
        kind -> Text,
        email -> Text,
    }
}

diesel::table! {
    cursors (name) {
        name -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    user_settings (user_id) {
        user_id -> BigInt,
        language -> Nullable<Text>,
    }
}

diesel::table! {
    ask_sessions (token) {
        token -> Text,
        user_id -> BigInt,
        created_at -> BigInt,
        opened_at -> Nullable<BigInt>,
        posted_at -> Nullable<BigInt>,
        group_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    question_acceptances (question_id) {
        question_id -> BigInt,
        accepted_at -> BigInt,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        url -> Text,
        events -> Text,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        failing_since -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    webhook_secrets (id) {
        id -> BigInt,
        endpoint_id -> BigInt,
        secret -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        endpoint_id -> BigInt,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        locked_until -> BigInt,
        last_error -> Nullable<Text>,
        response_code -> Nullable<Integer>,
        delivered_at -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    escalation_rules (id) {
        id -> BigInt,
        group_id -> BigInt,
        kind -> Text,
        parameter -> Text,
        wait_ms -> BigInt,
        organisation_id -> BigInt,
        priority -> Text,
        enabled -> Bool,
        created_by -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    escalations (id) {
        id -> BigInt,
        rule_id -> BigInt,
        question_id -> BigInt,
        group_id -> BigInt,
        organisation_id -> BigInt,
        priority -> Text,
        case_id -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    case_counter (id) {
        id -> Integer,
        last_number -> BigInt,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        number -> BigInt,
        organisation_id -> BigInt,
        group_id -> Nullable<BigInt>,
        customer_id -> BigInt,
        subject -> Text,
        status -> Text,
        priority -> Text,
        assignee_id -> Nullable<BigInt>,
        origin -> Text,
        origin_ref -> Nullable<BigInt>,
        crm_ticket_id -> Nullable<Text>,
        public_note -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    case_questions (case_id, question_id) {
        case_id -> BigInt,
        question_id -> BigInt,
        linked_at -> BigInt,
    }
}

diesel::table! {
    case_messages (id) {
        id -> BigInt,
        case_id -> BigInt,
        author_kind -> Text,
        author_id -> Nullable<BigInt>,
        body_md -> Text,
        body_html -> Text,
        ap_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    crm_tokens (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        prefix -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> BigInt,
        last_used_at -> Nullable<BigInt>,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    articles (id) {
        id -> BigInt,
        ap_id -> Text,
        group_id -> BigInt,
        title -> Text,
        body_md -> Text,
        content_html -> Text,
        tags -> Text,
        source_question_id -> Nullable<BigInt>,
        source_ap_id -> Nullable<Text>,
        author_id -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
        reviewed_at -> BigInt,
        retired_at -> Nullable<BigInt>,
        local -> Bool,
    }
}

diesel::table! {
    article_revisions (id) {
        id -> BigInt,
        article_id -> BigInt,
        editor_id -> BigInt,
        title -> Text,
        body_md -> Text,
        tags -> Text,
        created_at -> BigInt,
    }
}

diesel::joinable!(users -> actors (actor_id));
diesel::joinable!(posts -> actors (author_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(groups -> actors (actor_id));
diesel::joinable!(deliveries -> activities (activity_id));

diesel::table! {
    conversations (id) {
        id -> BigInt,
        low_id -> BigInt,
        high_id -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    conversation_messages (id) {
        id -> BigInt,
        conversation_id -> BigInt,
        author_id -> BigInt,
        body_md -> Text,
        body_html -> Text,
        ap_id -> Nullable<Text>,
        in_reply_to -> Nullable<Text>,
        created_at -> BigInt,
        deleted_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    conversation_reads (conversation_id, actor_id) {
        conversation_id -> BigInt,
        actor_id -> BigInt,
        last_read_id -> BigInt,
    }
}

diesel::table! {
    person_blocks (actor_id, blocked_id) {
        actor_id -> BigInt,
        blocked_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    group_invites (token) {
        token -> Text,
        group_id -> BigInt,
        created_by -> BigInt,
        created_at -> BigInt,
        used_by -> Nullable<BigInt>,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    remote_case_notes (post_id, position) {
        post_id -> BigInt,
        position -> Integer,
        organisation -> Text,
        content -> Text,
        received_at -> BigInt,
    }
}

diesel::table! {
    group_kinds (group_id) {
        group_id -> BigInt,
        kind -> Text,
    }
}

diesel::table! {
    ideas (post_id) {
        post_id -> BigInt,
        status -> Text,
        explanation -> Text,
        merged_into -> Nullable<BigInt>,
        changed_by -> Nullable<BigInt>,
        changed_at -> BigInt,
    }
}

diesel::table! {
    idea_status_changes (id) {
        id -> BigInt,
        post_id -> BigInt,
        status -> Text,
        explanation -> Text,
        changed_by -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    idea_follows (post_id, actor_id) {
        post_id -> BigInt,
        actor_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    listening_relays (id) {
        id -> BigInt,
        url -> Text,
        inbox -> Text,
        actor_ap_id -> Nullable<Text>,
        style -> Text,
        follow_ap_id -> Text,
        state -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    listening_terms (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        term -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    listening_items (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        object_ap_id -> Text,
        url -> Text,
        author_ap_id -> Text,
        author_name -> Text,
        excerpt_html -> Text,
        matched_term -> Text,
        source -> Text,
        status -> Text,
        handled_by -> Nullable<BigInt>,
        reply_ap_id -> Nullable<Text>,
        reply_md -> Nullable<Text>,
        received_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    surveys (id) {
        id -> BigInt,
        question_id -> BigInt,
        group_id -> BigInt,
        asker_id -> BigInt,
        reason -> Text,
        sent_at -> BigInt,
        note_ap_id -> Nullable<Text>,
        answer -> Nullable<Text>,
        answer_comment -> Nullable<Text>,
        answered_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    metric_days (group_id, day) {
        group_id -> BigInt,
        day -> BigInt,
        questions -> BigInt,
        first_secs -> Binary,
        accepted_secs -> Binary,
        answers -> BigInt,
        staff_answers -> BigInt,
        computed_at -> BigInt,
    }
}

diesel::table! {
    metric_marks (group_id, day) {
        group_id -> BigInt,
        day -> BigInt,
    }
}

diesel::table! {
    search_clicks (id) {
        id -> BigInt,
        group_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        browser -> Text,
        clicked_at -> BigInt,
        asked_at -> Nullable<BigInt>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    metric_days,
    metric_marks,
    search_clicks,
    actors,
    users,
    sessions,
    groups,
    group_welcomes,
    group_moderators,
    group_bans,
    follows,
    received_activities,
    post_contexts,
    inbound_queue,
    activities,
    deliveries,
    instances,
    site,
    posts,
    post_edits,
    votes,
    reports,
    mod_log,
    organisations,
    group_organisations,
    staff_claims,
    question_claims,
    staff_approvals,
    reputation_events,
    reputation_scores,
    badges,
    group_privileges,
    notifications,
    notification_prefs,
    cursors,
    user_settings,
    ask_sessions,
    webhook_endpoints,
    webhook_secrets,
    webhook_deliveries,
    question_acceptances,
    escalation_rules,
    escalations,
    case_counter,
    cases,
    case_questions,
    case_messages,
    crm_tokens,
    remote_case_notes,
    articles,
    article_revisions,
    conversations,
    conversation_messages,
    conversation_reads,
    person_blocks,
    group_invites,
    group_kinds,
    ideas,
    idea_status_changes,
    idea_follows,
    listening_relays,
    listening_terms,
    listening_items,
    surveys,
);

diesel::table! {
    group_widgets (group_id) {
        group_id -> BigInt,
        origins -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    group_roles (id) {
        id -> BigInt,
        group_id -> BigInt,
        name -> Text,
        privileges -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    group_role_holders (role_id, actor_id) {
        role_id -> BigInt,
        actor_id -> BigInt,
        group_id -> BigInt,
        assigned_by -> Nullable<BigInt>,
        assigned_at -> BigInt,
    }
}

diesel::joinable!(group_role_holders -> group_roles (role_id));
diesel::allow_tables_to_appear_in_same_query!(group_roles, group_role_holders);

diesel::table! {
    tag_follows (actor_id, tag) {
        actor_id -> BigInt,
        tag -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    person_follows (actor_id, person_id) {
        actor_id -> BigInt,
        person_id -> BigInt,
        created_at -> BigInt,
    }
}
