// Shared by the console and the studio: the API key for this tab, calls to the API, DOM helpers.
// The key lives in sessionStorage: it is gone when the tab closes and never leaves this origin.
"use strict";

const Engage = (() => {
  const storageKey = "engage.apiKey." + document.body.dataset.page;
  let onKey = () => {};

  function key() {
    return sessionStorage.getItem(storageKey);
  }

  /** Builds an element: el("li", {class: "x", "aria-label": "y"}, "text", child, ...). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** An API error, with the problem+json body when there is one. */
  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || "HTTP " + status);
      this.status = status;
      this.problem = problem || {};
    }
  }

  /** Calls the API with this tab's key; resolves to the JSON body (or null), throws ApiError. */
  async function api(path, options = {}) {
    const headers = { Accept: "application/json" };
    if (key()) headers.Authorization = "Bearer " + key();
    if (options.type) headers["Content-Type"] = options.type;
    let response;
    try {
      response = await fetch(path, { method: options.method || "GET", headers, body: options.body });
    } catch (e) {
      throw new ApiError(0, { detail: "the API cannot be reached (" + e.message + ")" });
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (response.status === 401) showSession();
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  /** The header's key form: asks for a key when there is none, else offers to forget it. */
  function showSession() {
    const form = document.getElementById("key-form");
    const signedIn = document.getElementById("signed-in");
    form.hidden = !!key();
    signedIn.hidden = !key();
    if (!key()) document.getElementById("api-key").focus();
  }

  function init(callback) {
    onKey = callback;
    document.getElementById("key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = document.getElementById("api-key");
      const value = input.value.trim();
      if (!value) return;
      sessionStorage.setItem(storageKey, value);
      input.value = "";
      showSession();
      onKey();
    });
    document.getElementById("forget-key").addEventListener("click", () => {
      sessionStorage.removeItem(storageKey);
      showSession();
    });
    showSession();
    if (key()) onKey();
  }

  function formatTime(iso) {
    if (!iso) return "";
    const date = new Date(iso);
    return isNaN(date) ? String(iso) : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function formatNumber(value, digits = 2) {
    if (value === null || value === undefined || isNaN(value)) return "\u2014";
    return Number(value).toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function setStatus(id, text, isError) {
    const node = document.getElementById(id);
    node.textContent = text || "";
    node.classList.toggle("error", !!isError);
  }

  return { api, el, init, key, formatTime, formatNumber, setStatus, ApiError };
})();
